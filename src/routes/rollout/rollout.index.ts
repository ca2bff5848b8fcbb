import { createRouter } from "../../lib/create-router";
import type { ResponseHeaders } from "../../lib/response-headers";
import type { ProgressAnswers } from "../../services/progress";
import * as handlers from "./rollout.handlers";
import * as routes from "./rollout.routes";

/** Rollout actions and reads; `progress` keeps recent progress answers (services/progress.ts), `json` sends them (lib/response-headers.ts). */
export function createRolloutRouter({ progress, json }: { progress: ProgressAnswers; json: ResponseHeaders["json"] }) {
  const router = createRouter();
  router.use("/v1/releases/:version/*", handlers.forgetProgressAfterChange(progress));
  return router
    .openapi(routes.replaceWaves, handlers.replaceWaves)
    .openapi(routes.start, handlers.start)
    .openapi(routes.pause, handlers.pause)
    .openapi(routes.resume, handlers.resume)
    .openapi(routes.advance, handlers.advance)
    .openapi(routes.halt, handlers.halt)
    .openapi(routes.progress, handlers.progress(progress, json))
    .openapi(routes.queue, handlers.queue);
}

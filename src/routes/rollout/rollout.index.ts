import { createRouter } from "../../lib/create-router";
import type { ProgressAnswers } from "../../services/progress";
import * as handlers from "./rollout.handlers";
import * as routes from "./rollout.routes";

/** Rollout actions and reads; `progress` keeps recent progress answers (services/progress.ts). */
export function createRolloutRouter({ progress }: { progress: ProgressAnswers }) {
  const router = createRouter();
  router.use("/v1/releases/:version/*", handlers.forgetProgressAfterChange(progress));
  return router
    .openapi(routes.replaceWaves, handlers.replaceWaves)
    .openapi(routes.start, handlers.start)
    .openapi(routes.pause, handlers.pause)
    .openapi(routes.resume, handlers.resume)
    .openapi(routes.advance, handlers.advance)
    .openapi(routes.halt, handlers.halt)
    .openapi(routes.progress, handlers.progress(progress))
    .openapi(routes.queue, handlers.queue);
}

import { createRouter } from "../../lib/create-router";
import * as handlers from "./rollout.handlers";
import * as routes from "./rollout.routes";

export const rolloutRouter = createRouter()
  .openapi(routes.replaceWaves, handlers.replaceWaves)
  .openapi(routes.start, handlers.start)
  .openapi(routes.pause, handlers.pause)
  .openapi(routes.resume, handlers.resume)
  .openapi(routes.advance, handlers.advance)
  .openapi(routes.halt, handlers.halt)
  .openapi(routes.progress, handlers.progress)
  .openapi(routes.queue, handlers.queue);

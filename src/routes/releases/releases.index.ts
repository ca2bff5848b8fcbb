import { createRouter } from "../../lib/create-router";
import * as handlers from "./releases.handlers";
import * as routes from "./releases.routes";

export const releasesRouter = createRouter()
  .openapi(routes.createRelease, handlers.createRelease)
  .openapi(routes.listReleases, handlers.listReleases)
  .openapi(routes.getRelease, handlers.getRelease)
  .openapi(routes.updateRelease, handlers.updateRelease);

import { createRouter } from "../../lib/create-router";
import type { PublicRollout } from "../../services/public-rollout";
import * as handlers from "./public.handlers";
import * as routes from "./public.routes";

export function createPublicRouter(rollout: PublicRollout) {
  return createRouter()
    .openapi(routes.listPublicReleases, handlers.listPublicReleases(rollout))
    .openapi(routes.getPublicRelease, handlers.getPublicRelease(rollout))
    .openapi(routes.getPublicFleet, handlers.getPublicFleet(rollout));
}

import { createRouter } from "../../lib/create-router";
import type { ResolveHost } from "../../lib/public-address";
import * as handlers from "./push.handlers";
import * as routes from "./push.routes";

/** Mounted after the track router: its per-client limit on /v1/track/* covers the subscription routes too. */
export function createPushRouter({ resolveHost }: { resolveHost?: ResolveHost }) {
  return createRouter()
    .openapi(routes.getPushKey, handlers.getPushKey)
    .openapi(routes.createPushSubscription, handlers.createPushSubscription(resolveHost))
    .openapi(routes.deletePushSubscription, handlers.deletePushSubscription);
}

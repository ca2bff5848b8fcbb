import { createRouter } from "../../lib/create-router";
import type { ResolveHost } from "../../lib/public-address";
import * as handlers from "./webhooks.handlers";
import * as routes from "./webhooks.routes";

export function createWebhooksRouter({ resolveHost }: { resolveHost?: ResolveHost }) {
  return createRouter()
    .openapi(routes.createWebhook, handlers.createWebhook(resolveHost))
    .openapi(routes.listWebhooks, handlers.listWebhooks)
    .openapi(routes.deleteWebhook, handlers.deleteWebhook);
}

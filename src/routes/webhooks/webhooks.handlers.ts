import { actorName } from "../../domain/roles";
import { keyHolder } from "../../lib/auth";
import type { ResolveHost } from "../../lib/public-address";
import type { AppRouteHandler } from "../../lib/types";
import * as subscriptions from "../../services/webhook-subscriptions";
import type { CreateWebhookRoute, DeleteWebhookRoute, ListWebhooksRoute } from "./webhooks.routes";

/** `resolveHost` checks where a subscriber's name points (absent where the runtime cannot resolve: see src/worker.ts). */
export const createWebhook =
  (resolveHost?: ResolveHost): AppRouteHandler<CreateWebhookRoute> =>
  async (c) => {
    const { db, clock, config } = c.var;
    const webhook = await subscriptions.createWebhook({
      db,
      input: c.req.valid("json"),
      actor: actorName(keyHolder(c.var.principal)),
      at: clock.now(),
      targets: config.webhookTargets,
      resolve: resolveHost,
    });
    return c.json({ ...webhook, createdAt: webhook.createdAt.toISOString() }, 201);
  };

export const listWebhooks: AppRouteHandler<ListWebhooksRoute> = async (c) => {
  const webhooks = await subscriptions.listWebhooks({ db: c.var.db });
  return c.json({ webhooks: webhooks.map((w) => ({ ...w, createdAt: w.createdAt.toISOString() })) }, 200);
};

export const deleteWebhook: AppRouteHandler<DeleteWebhookRoute> = async (c) => {
  await subscriptions.deleteWebhook({
    db: c.var.db,
    id: c.req.valid("param").id,
    actor: actorName(keyHolder(c.var.principal)),
    at: c.var.clock.now(),
  });
  return c.body(null, 204);
};

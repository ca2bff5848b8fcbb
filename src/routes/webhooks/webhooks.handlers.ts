import { actorName } from "../../domain/roles";
import { keyHolder } from "../../lib/auth";
import type { AppRouteHandler } from "../../lib/types";
import * as webhooks from "../../services/webhooks";
import type { CreateWebhookRoute } from "./webhooks.routes";

export const createWebhook: AppRouteHandler<CreateWebhookRoute> = async (c) => {
  const { db, clock } = c.var;
  const webhook = await webhooks.createWebhook({
    db,
    input: c.req.valid("json"),
    actor: actorName(keyHolder(c.var.principal)),
    at: clock.now(),
  });
  return c.json({ ...webhook, createdAt: webhook.createdAt.toISOString() }, 201);
};

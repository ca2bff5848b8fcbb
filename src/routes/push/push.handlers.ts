import { pushEvents } from "../../domain/push-messages";
import type { ResolveHost } from "../../lib/public-address";
import type { AppRouteHandler } from "../../lib/types";
import { subscribe, unsubscribe } from "../../services/push-subscriptions";
import { vapidKeys } from "../../services/vapid-keys";
import type { CreatePushSubscriptionRoute, DeletePushSubscriptionRoute, GetPushKeyRoute } from "./push.routes";

export const getPushKey: AppRouteHandler<GetPushKeyRoute> = async (c) => {
  const { publicKey } = await vapidKeys(c.var.db, c.var.config.vapidKeys);
  // The key changes only when an operator configures another one.
  c.header("Cache-Control", "public, max-age=300");
  return c.json({ publicKey }, 200);
};

/** `resolveHost` checks where the push service's name points (absent on Workers: see src/worker.ts). */
export const createPushSubscription =
  (resolveHost?: ResolveHost): AppRouteHandler<CreatePushSubscriptionRoute> =>
  async (c) => {
    const { db, clock, config } = c.var;
    const body = c.req.valid("json");
    const created = await subscribe({
      db,
      code: c.req.valid("param").code,
      input: { endpoint: body.endpoint, keys: body.keys, lang: body.lang, events: body.events ?? [...pushEvents] },
      now: clock.now(),
      targets: config.pushTargets,
      resolve: resolveHost,
    });
    return c.json({ id: created.id }, 201);
  };

export const deletePushSubscription: AppRouteHandler<DeletePushSubscriptionRoute> = async (c) => {
  const { code, id } = c.req.valid("param");
  await unsubscribe({ db: c.var.db, code, id, now: c.var.clock.now() });
  return c.body(null, 204);
};

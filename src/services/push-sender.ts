import type { Config } from "../config";
import type { DbOrTx } from "../db/client";
import type { ResolveHost } from "../lib/public-address";
import { deliverDuePushes } from "./push-delivery";
import { vapidKeys } from "./vapid-keys";

/** Without VAPID_SUBJECT or an https PUBLIC_URL: push services accept it, but operators should set a real contact. */
export const placeholderVapidSubject = "mailto:push@rollout-tracker.invalid";

/** One run of the push outbox as the entries schedule it (Node timer, Worker cron), with the configured or kept keys. */
export async function deliverPushes({ db, now, config, fetch, resolve }: { db: DbOrTx; now: Date; config: Config; fetch?: typeof globalThis.fetch; resolve?: ResolveHost }) {
  const keys = await vapidKeys(db, config.vapidKeys);
  return deliverDuePushes({ db, now, vapid: { ...keys, subject: config.vapidSubject ?? placeholderVapidSubject }, targets: config.pushTargets, fetch, resolve });
}

// RFC 8291 (aes128gcm) encryption and RFC 8292 (VAPID) signing come from
// @block65/webcrypto-web-push: it runs on Web Crypto alone, so the same code
// sends from Node and from the Worker's cron. Of the Web Crypto libraries,
// @pushforge/builder and webpush-webcrypto encrypt with the older draft
// "aesgcm" scheme (Crypto-Key/Encryption headers), not RFC 8291; web-push
// needs node:crypto, which Workers lack.
import { buildPushPayload } from "@block65/webcrypto-web-push";
import { sql } from "drizzle-orm";
import type { VapidKeys } from "../config";
import type { DbOrTx } from "../db/client";
import { rowsOf } from "../db/rows";
import { isLocale } from "../domain/locale-negotiation";
import { type PushEvent, type PushEventData, pushEvents, pushMessage } from "../domain/push-messages";
import { type ResolveHost, type WebhookTargets, strictWebhookTargets, targetProblem } from "../lib/public-address";
import { type DeliveryOptions, maxDeliveryAttempts, retryDelaySeconds } from "./webhooks";

/** How long a push service keeps a message for a browser that is offline: a day, the most RFC 8292 tokens allow anyway. */
const messageTtlSeconds = 24 * 3600;
const leaseSeconds = (timeoutMs: number) => Math.ceil(timeoutMs / 1000) + 50;

type Claimed = { id: string; subscription_id: number; event: string; payload: string; attempts: number; endpoint: string; p256dh: string; auth: string; lang: string };
type Outcome = { id: string; ok: boolean; gone: boolean; subscription_id: number; error: string | null; retry_in: number };

/** Reserves due messages like webhook deliveries do (SKIP LOCKED, a lease, the attempt counted at claim); a subscription whose code changed is passed over. */
async function claimDue(db: DbOrTx, now: Date, limit: number, timeoutMs: number): Promise<Claimed[]> {
  const at = now.toISOString();
  return rowsOf<Claimed>(
    await db.execute(sql`
      with due as (
        select d.id from push_deliveries d
        join push_subscriptions s on s.id = d.subscription_id
        join vehicles v on v.id = s.vehicle_id and v.owner_code_hash = s.code_hash
        where d.delivered_at is null and d.next_attempt_at <= ${at}::timestamptz and d.attempts < ${maxDeliveryAttempts}::int
        order by d.next_attempt_at, d.id
        limit ${limit}::int
        for update of d skip locked
      )
      update push_deliveries d
      set attempts = d.attempts + 1, next_attempt_at = ${at}::timestamptz + make_interval(secs => ${leaseSeconds(timeoutMs)}::int)
      from due, push_subscriptions s
      where d.id = due.id and s.id = d.subscription_id
      returning d.id::text as id, d.subscription_id, d.event, d.payload::text as payload, d.attempts, s.endpoint, s.p256dh, s.auth, s.lang`),
  );
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.name}: ${error.message}${cause}`.slice(0, 500);
}

const isPushEvent = (event: string): event is PushEvent => (pushEvents as readonly string[]).includes(event);

/** What the service worker shows: the words in the subscriber's language, and its subscription id so the click opens the page it subscribed from. */
export function notificationOf(delivery: Pick<Claimed, "subscription_id" | "event" | "payload" | "lang">) {
  if (!isPushEvent(delivery.event)) throw new Error(`unknown push event ${delivery.event}`);
  const data = JSON.parse(delivery.payload) as PushEventData; // written by push-outbox.ts only
  const { title, body } = pushMessage(delivery.event, data, isLocale(delivery.lang) ? delivery.lang : "en");
  // One tag per release: a newer message about the same update replaces the older one on screen.
  return { title, body, tag: `rollout-${data.version}`, event: delivery.event, subscription: delivery.subscription_id };
}

type Sending = { fetch: typeof globalThis.fetch; timeoutMs: number; targets: WebhookTargets; resolve?: ResolveHost; vapid: VapidKeys & { subject: string } };

async function send(delivery: Claimed, { fetch, timeoutMs, targets, resolve, vapid }: Sending): Promise<Outcome> {
  const result = { id: delivery.id, subscription_id: delivery.subscription_id };
  const fail = (error: string): Outcome => ({ ...result, ok: false, gone: false, error: error.slice(0, 500), retry_in: retryDelaySeconds(delivery.attempts) });
  try {
    // Judged again at every send, like webhooks: the name may point elsewhere by now.
    const refused = await targetProblem(delivery.endpoint, targets, resolve);
    if (refused) return fail(`not sent: ${refused}`);
    const subscription = { endpoint: delivery.endpoint, expirationTime: null, keys: { p256dh: delivery.p256dh, auth: delivery.auth } };
    const request = await buildPushPayload({ data: notificationOf(delivery), options: { ttl: messageTtlSeconds } }, subscription, vapid);
    const res = await fetch(delivery.endpoint, { method: "POST", headers: request.headers, body: request.body, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel().catch(() => {});
    // RFC 8030 §7.3: 404 and 410 say the subscription is gone for good.
    if (res.status === 404 || res.status === 410) return { ...result, ok: false, gone: true, error: `HTTP ${res.status}`, retry_in: 0 };
    return res.status >= 200 && res.status < 300 ? { ...result, ok: true, gone: false, error: null, retry_in: 0 } : fail(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}`);
  } catch (error) {
    return fail(describeError(error));
  }
}

/**
 * Sends the push messages due at `now`, encrypted for each browser and signed
 * with the VAPID keys, and records each outcome: 2xx delivered, 404/410 drops
 * the subscription (and what it still had pending), anything else retries
 * with the webhooks' backoff. A push service being down never makes this throw.
 */
export async function deliverDuePushes({
  db,
  now,
  vapid,
  fetch = (input, init) => globalThis.fetch(input, init),
  limit = 50,
  timeoutMs = 10_000,
  targets = strictWebhookTargets,
  resolve,
}: DeliveryOptions & { vapid: VapidKeys & { subject: string } }): Promise<{ delivered: number; failed: number; gone: number }> {
  const claimed = await claimDue(db, now, limit, timeoutMs);
  if (claimed.length === 0) return { delivered: 0, failed: 0, gone: 0 };
  // Browsers side by side; one browser's messages one after the other, oldest first, so a newer
  // message (same tag) is never replaced on screen by an older one that arrived late.
  const byBrowser = new Map<number, Claimed[]>();
  for (const d of claimed) byBrowser.set(d.subscription_id, [...(byBrowser.get(d.subscription_id) ?? []), d]);
  const sending: Sending = { fetch, timeoutMs, targets, resolve, vapid };
  const outcomes = (
    await Promise.all(
      [...byBrowser.values()].map(async (messages) => {
        const results: Outcome[] = [];
        for (const delivery of messages.sort((a, b) => Number(a.id) - Number(b.id))) results.push(await send(delivery, sending));
        return results;
      }),
    )
  ).flat();
  const at = now.toISOString();
  await db.execute(sql`
    update push_deliveries d
    set delivered_at = case when o.ok then ${at}::timestamptz else d.delivered_at end,
        last_error = coalesce(o.error, d.last_error),
        next_attempt_at = case when o.ok then d.next_attempt_at else ${at}::timestamptz + make_interval(secs => o.retry_in) end
    from json_to_recordset(${JSON.stringify(outcomes)}::json) as o(id bigint, ok boolean, error text, retry_in int)
    where d.id = o.id`);
  const gone = [...new Set(outcomes.filter((o) => o.gone).map((o) => o.subscription_id))];
  if (gone.length) await db.execute(sql`delete from push_subscriptions where id in (select json_array_elements_text(${JSON.stringify(gone)}::json)::int)`);
  const delivered = outcomes.filter((o) => o.ok).length;
  return { delivered, failed: outcomes.length - delivered - outcomes.filter((o) => o.gone).length, gone: gone.length };
}

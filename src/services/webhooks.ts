import { type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { rowsOf } from "../db/rows";
import { signPayload } from "../domain/webhook-signature";
import { type ResolveHost, type WebhookTargets, strictWebhookTargets, targetProblem } from "../lib/public-address";

export const webhookEventTypes = [
  "wave.opened",
  "release.paused",
  "release.resumed",
  "release.halted",
  "release.completed",
  "vehicle.state_changed",
  "known_issue.created",
  "known_issue.updated",
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/** After this many failed sends a delivery is left for a person to look at (its lastError says why). */
export const maxDeliveryAttempts = 10;
const firstRetrySeconds = 30;
const maxRetrySeconds = 3600;
/** How long a claimed delivery stays reserved for its worker: longer than a send may take, short enough that a crashed worker's claims come back soon. */
const leaseSeconds = (timeoutMs: number) => Math.ceil(timeoutMs / 1000) + 50;

/** The wait before the next try after `attempts` sends: 30 s, 1 min, 2 min, … capped at one hour. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(firstRetrySeconds * 2 ** Math.max(0, attempts - 1), maxRetrySeconds);
}

/**
 * Writes one delivery per active subscriber of `type` and per payload, in the
 * caller's transaction: the outbox holds the event exactly when the change
 * that caused it commits, and sending happens later, outside the request.
 */
export async function enqueueWebhookEvent(tx: DbOrTx, type: WebhookEventType, payloads: object[], at: Date) {
  if (payloads.length === 0) return;
  await tx.execute(
    webhookDeliveriesSql(type, sql`select p.payload::jsonb as payload, p.n from json_array_elements(${JSON.stringify(payloads)}::json) with ordinality as p(payload, n)`, at),
  );
}

/**
 * The insert of enqueueWebhookEvent over rows `(payload jsonb, n)`, for a
 * writer that makes its change and its events in one statement (a CTE).
 */
export function webhookDeliveriesSql(type: WebhookEventType, payloads: SQL, at: Date): SQL {
  return sql`
    insert into webhook_deliveries (webhook_id, event_type, payload, next_attempt_at, created_at)
    select w.id, ${type}::text, p.payload, ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz
    from webhooks w
    cross join (${payloads}) as p
    where w.disabled_at is null and ${type}::text = any(w.event_types)
    order by w.id, p.n`;
}

type Claimed = { id: string; event_type: string; payload: string; created_at: string; attempts: number; url: string; secret: string };
type Outcome = { id: string; ok: boolean; error: string | null; retry_in: number };

/**
 * Reserves up to `limit` due deliveries in one statement. SKIP LOCKED lets
 * concurrent workers pass over rows another is claiming, and the lease moves
 * next_attempt_at ahead, so no other worker sees them due until this one is
 * done. Counting the attempt at claim time keeps a delivery that crashes its
 * worker from being retried forever.
 */
async function claimDue(db: DbOrTx, now: Date, limit: number, timeoutMs: number): Promise<Claimed[]> {
  const at = now.toISOString();
  return rowsOf<Claimed>(
    await db.execute(sql`
      with due as (
        select d.id from webhook_deliveries d
        join webhooks w on w.id = d.webhook_id
        where d.delivered_at is null and d.next_attempt_at <= ${at}::timestamptz
          and d.attempts < ${maxDeliveryAttempts}::int and w.disabled_at is null
        order by d.next_attempt_at, d.id
        limit ${limit}::int
        for update of d skip locked
      )
      update webhook_deliveries d
      set attempts = d.attempts + 1, next_attempt_at = ${at}::timestamptz + make_interval(secs => ${leaseSeconds(timeoutMs)}::int)
      from due, webhooks w
      where d.id = due.id and w.id = d.webhook_id
      returning d.id::text as id, d.event_type, d.payload::text as payload,
                to_json(d.created_at) #>> '{}' as created_at, d.attempts, w.url, w.secret`),
  );
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // Node's fetch says only "fetch failed"; the cause says why (refused, DNS, TLS…).
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.name}: ${error.message}${cause}`.slice(0, 500);
}

type Sending = { now: Date; fetch: typeof globalThis.fetch; timeoutMs: number; targets: WebhookTargets; resolve?: ResolveHost };

async function send(delivery: Claimed, { now, fetch, timeoutMs, targets, resolve }: Sending): Promise<Outcome> {
  const fail = (error: string): Outcome => ({ id: delivery.id, ok: false, error, retry_in: retryDelaySeconds(delivery.attempts) });
  try {
    // Judged again at every send: the policy may be stricter than when the
    // URL was accepted, and the name may point elsewhere by now.
    const refused = await targetProblem(delivery.url, targets, resolve);
    if (refused) return fail(`not sent: ${refused}`.slice(0, 500));
    const body = JSON.stringify({
      id: delivery.id,
      type: delivery.event_type,
      createdAt: new Date(delivery.created_at).toISOString(),
      data: JSON.parse(delivery.payload) as unknown, // re-serialized as stored; never read here
    });
    const signature = await signPayload(delivery.secret, Math.floor(now.getTime() / 1000), body);
    const res = await fetch(delivery.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "rollout-tracker-webhooks/1",
        "x-rollout-event": delivery.event_type,
        "x-rollout-delivery": delivery.id,
        "x-rollout-signature": signature,
      },
      body,
      // A redirect is not an acknowledgement, and following one would send signed data elsewhere.
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Only the status matters; dropping the body frees the connection.
    await res.body?.cancel().catch(() => {});
    return res.status >= 200 && res.status < 300
      ? { id: delivery.id, ok: true, error: null, retry_in: 0 }
      : fail(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}`.slice(0, 500));
  } catch (error) {
    return fail(describeError(error));
  }
}

/** What an outbox run needs; the push outbox (push-delivery.ts) takes the same. */
export type DeliveryOptions = {
  db: DbOrTx;
  now: Date;
  fetch?: typeof globalThis.fetch;
  limit?: number;
  timeoutMs?: number;
  targets?: WebhookTargets;
  resolve?: ResolveHost;
};

/**
 * Sends the deliveries that are due at `now`, all at once, and records each
 * outcome: 2xx marks it delivered, anything else (status, refusal, timeout)
 * schedules a retry with exponential backoff. A receiver being down never
 * makes this throw; only the database can.
 *
 * Targets `targets` does not allow are refused without sending, after
 * resolving their names with `resolve` when given. On Node the entry also
 * passes a `fetch` that checks the address it connects to, which closes the
 * gap between that check and the connection (src/node/guarded-fetch.ts).
 */
export async function deliverDueWebhooks({
  db,
  now,
  fetch = (input, init) => globalThis.fetch(input, init),
  limit = 50,
  timeoutMs = 10_000,
  targets = strictWebhookTargets,
  resolve,
}: DeliveryOptions): Promise<{ delivered: number; failed: number }> {
  const claimed = await claimDue(db, now, limit, timeoutMs);
  if (claimed.length === 0) return { delivered: 0, failed: 0 };
  const sending: Sending = { now, fetch, timeoutMs, targets, resolve };
  const outcomes = await Promise.all(claimed.map((delivery) => send(delivery, sending)));
  await db.execute(sql`
    update webhook_deliveries d
    set delivered_at = case when o.ok then ${now.toISOString()}::timestamptz else d.delivered_at end,
        last_error = coalesce(o.error, d.last_error),
        next_attempt_at = case when o.ok then d.next_attempt_at
                               else ${now.toISOString()}::timestamptz + make_interval(secs => o.retry_in) end
    from json_to_recordset(${JSON.stringify(outcomes)}::json) as o(id bigint, ok boolean, error text, retry_in int)
    where d.id = o.id`);
  const delivered = outcomes.filter((o) => o.ok).length;
  return { delivered, failed: outcomes.length - delivered };
}

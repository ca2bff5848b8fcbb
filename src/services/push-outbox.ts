import { type SQL, sql } from "drizzle-orm";
import type { Tx } from "../db/client";
import { rowsOf } from "../db/rows";
import { movedEtas } from "../domain/eta-moves";
import type { PushEvent, PushEventData } from "../domain/push-messages";
import type { ClockRelease } from "../domain/rollout-clock";

// The push outbox is written in the transaction of the change, like the
// webhook outbox. Every statement here starts from the subscriptions and is
// guarded by an uncorrelated EXISTS, which Postgres evaluates once before the
// join: without subscribers (the common case, and every bench) a pause of a
// million-vehicle release costs one probe of an empty table. With subscribers
// the join goes per subscription into queue_entries' primary key, so the cost
// follows the subscribers, never the fleet. A subscription counts only while
// its vehicle's owner code is still the one it was made with.

const json = (value: unknown) => JSON.stringify(value);

/**
 * One message for each subscriber of `event` whose car is in the release's
 * queue: within positions (after, through] when given, and in one of
 * `states` (default: every car still waiting or trying, not installed or skipped).
 */
export async function enqueueReleasePush(
  tx: Tx,
  { releaseId, event, data, at, positions, states }: { releaseId: number; event: PushEvent; data: PushEventData; at: Date; positions?: { after: number; through: number }; states?: string[] },
) {
  const when = at.toISOString();
  const within = positions ? sql`and q.position > ${positions.after}::int and q.position <= ${positions.through}::int` : sql``;
  const stateIn = states ? sql`q.state::text = any(${`{${states.join(",")}}`}::text[])` : sql`q.state not in ('installed', 'skipped')`;
  await tx.execute(sql`
    insert into push_deliveries (subscription_id, event, payload, next_attempt_at, created_at)
    select s.id, ${event}::text, ${json(data)}::jsonb, ${when}::timestamptz, ${when}::timestamptz
    from push_subscriptions s
    join vehicles v on v.id = s.vehicle_id and v.owner_code_hash = s.code_hash
    join queue_entries q on q.vehicle_id = s.vehicle_id and q.release_id = ${releaseId}::int
    where exists (select 1 from push_subscriptions) and ${event}::text = any(s.events) and ${stateIn} ${within}`);
}

/**
 * One message per subscriber of each car whose update was installed or failed
 * (the reports path), over a relation `c(v, version, state)` of changed
 * entries: the report writer makes its changes and these messages in one
 * statement (services/reports.ts).
 */
export function vehiclePushSql(changes: SQL, at: Date): SQL {
  const when = at.toISOString();
  return sql`
    insert into push_deliveries (subscription_id, event, payload, next_attempt_at, created_at)
    select s.id, c.state::text, json_build_object('version', c.version)::jsonb, ${when}::timestamptz, ${when}::timestamptz
    from push_subscriptions s
    join ${changes} on c.v = s.vehicle_id
    join vehicles v on v.id = s.vehicle_id and v.owner_code_hash = s.code_hash
    where exists (select 1 from push_subscriptions) and c.state::text in ('installed', 'failed') and c.state::text = any(s.events)`;
}

/**
 * After a re-plan: tells the subscribers still queued whose projected offer
 * moved by more than two hours. Their positions are read (one row per
 * subscribed car, none without subscribers), the pure forecast judges the
 * move, and one insert writes the messages.
 */
export async function enqueueEtaMoves(tx: Tx, { releaseId, version, before, after, now }: { releaseId: number; version: string; before: ClockRelease; after: ClockRelease; now: Date }) {
  const waiting = rowsOf<{ position: number }>(
    await tx.execute(sql`
      select distinct q.position
      from push_subscriptions s
      join vehicles v on v.id = s.vehicle_id and v.owner_code_hash = s.code_hash
      join queue_entries q on q.vehicle_id = s.vehicle_id and q.release_id = ${releaseId}::int
      where exists (select 1 from push_subscriptions) and 'eta_moved' = any(s.events) and q.state = 'queued' and q.position is not null`),
  );
  const moved = movedEtas(before, after, waiting.map((w) => Number(w.position)), now);
  if (moved.length === 0) return;
  const when = now.toISOString();
  await tx.execute(sql`
    insert into push_deliveries (subscription_id, event, payload, next_attempt_at, created_at)
    select s.id, 'eta_moved', ${json({ version })}::jsonb, ${when}::timestamptz, ${when}::timestamptz
    from push_subscriptions s
    join vehicles v on v.id = s.vehicle_id and v.owner_code_hash = s.code_hash
    join queue_entries q on q.vehicle_id = s.vehicle_id and q.release_id = ${releaseId}::int
    where 'eta_moved' = any(s.events) and q.state = 'queued' and q.position in (select json_array_elements_text(${json(moved)}::json)::int)`);
}

import { sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { executePrepared } from "../db/prepared";
import { rowsOf } from "../db/rows";
import { textArray } from "../db/text-array";
import type { ReportedState } from "../domain/update-state";
import { upToDateSql } from "./eligibility-sql";
import { vehiclePushSql } from "./push-outbox";
import { foldedEntriesSql } from "./update-state-sql";
import { webhookDeliveriesSql } from "./webhooks";

export type Report = { eventId: string; vin: string; version: string; state: ReportedState; at: Date; errorCode?: string };
export type ReportResult = { eventId: string | null; status: "accepted" | "duplicate" | "rejected"; reason?: string };

/** A report the statement did not accept, and what it found about it. */
type NotAccepted = { n: number; found: boolean; known_vin: boolean; known_version: boolean };

/**
 * Applies a batch of reports in one statement, and so in one transaction of
 * one round trip: each report is accepted, a duplicate (its event id was seen
 * before, or earlier in the batch) or rejected with a reason; the accepted
 * ones move queue entries (counters follow by trigger), record the vehicle's
 * history and, for installs, its firmware, with their webhook and push
 * messages. Nothing is half-applied. `stripe` (1-8) names the counter rows
 * this transaction writes, so writers that run side by side never wait on
 * each other's counters.
 *
 * Why one statement: as a transaction of six round trips (begin, find the
 * entries, store the reports, lock, write, commit), a batch held its entries'
 * locks over two of them while concurrent batches about the same cars waited,
 * and every round trip also waited for a busy server's event loop. Inside the
 * statement the order is kept: reports are stored first (in event id order,
 * so two batches sharing event ids never deadlock), then the entries are
 * locked in key order, folded (services/update-state-sql.ts), written, and
 * the installs lock their cars in key order.
 */
export async function recordReports({ db, reports, now, stripe = null }: { db: DbOrTx; reports: Report[]; now: Date; stripe?: number | null }) {
  const column = (value: (r: Report) => string) => textArray(reports.map(value));
  const when = now.toISOString();
  const notAccepted = rowsOf<NotAccepted>(
    await executePrepared(db, "record_reports", sql`
      with input as (
        select i.n::int as n, i.event_id, i.vin, i.version, i.state::update_state as state, i.at, nullif(i.error_code, '') as error_code
        from unnest(${column((r) => r.eventId)}::text[], ${column((r) => r.vin)}::text[], ${column((r) => r.version)}::text[],
                    ${column((r) => r.state)}::text[], ${column((r) => r.at.toISOString())}::timestamptz[], ${column((r) => r.errorCode ?? "")}::text[])
          with ordinality as i(event_id, vin, version, state, at, error_code, n)
      ),
      -- The counter stripe of this transaction (migration 0007), set before the entries' trigger runs at the end of the statement.
      lane as (select ${stripe === null ? sql`null` : sql`set_config('rollout.counter_stripe', ${String(stripe)}, true)`} as stripe),
      targets as (
        select i.*, q.vehicle_id, q.release_id, v.id is not null as known_vin, r.id is not null as known_version, lane.stripe
        from input i
        cross join lane
        left join vehicles v on v.vin = i.vin
        left join releases r on r.version = i.version
        left join queue_entries q on q.vehicle_id = v.id and q.release_id = r.id
      ),
      -- The first report of each event id that found its entry.
      firsts as (select distinct on (event_id) * from targets where vehicle_id is not null order by event_id, n),
      stored as (
        insert into update_events (event_id, vehicle_id, release_id, version, state, error_code, at, received_at)
        select event_id, vehicle_id, release_id, version, state, error_code, at, ${when}::timestamptz from firsts order by event_id
        on conflict (event_id) do nothing
        returning event_id
      ),
      accepted as (select f.* from firsts f join stored s on s.event_id = f.event_id),
      locked as (
        select q.vehicle_id, q.release_id, q.state, q.state_at from queue_entries q
        where (q.vehicle_id, q.release_id) in (select vehicle_id, release_id from accepted)
        order by q.vehicle_id, q.release_id
        for update of q
      ),
      folded as (${foldedEntriesSql(sql`locked`, sql`accepted`)}),
      -- Each changed entry with its car and release as reported, in the order of its first report.
      changed as (
        select f.*, a.n, a.vin, a.version
        from folded f
        join (select distinct on (vehicle_id, release_id) vehicle_id, release_id, n, vin, version from accepted order by vehicle_id, release_id, n) a
          on a.vehicle_id = f.vehicle_id and a.release_id = f.release_id
        where f.changed
      ),
      moved as (
        update queue_entries q set state = c.state, state_at = c.state_at, updated_at = ${when}::timestamptz
        from changed c where q.vehicle_id = c.vehicle_id and q.release_id = c.release_id
      ),
      -- An install moves the car's firmware (never a downgrade) and writes its history; two releases
      -- installed in one batch: the newer version is what the car runs. Only these cars are locked
      -- (in key order): a car's "last seen" is its newest report, read from update_events.
      installs as (
        select distinct on (c.vehicle_id) c.vehicle_id, c.version, c.state_at as installed_at
        from changed c where c.state = 'installed' and c.previous <> 'installed'
        order by c.vehicle_id, string_to_array(c.version, '.')::int[] desc
      ),
      older as (
        select v.id, v.firmware as previous, s.version, s.installed_at
        from installs s join vehicles v on v.id = s.vehicle_id
        where not ${upToDateSql(sql`string_to_array(s.version, '.')::int[]`)}
        order by v.id
        for no key update of v
      ),
      upgraded as (
        update vehicles v set firmware = o.version, updated_at = ${when}::timestamptz
        from older o where v.id = o.id
      ),
      history as (
        insert into firmware_changes (vehicle_id, from_firmware, to_firmware, source, at)
        select id, previous, version, 'install', installed_at from older
      ),
      hooks as (${webhookDeliveriesSql(
        "vehicle.state_changed",
        sql`select jsonb_build_object('vin', c.vin, 'version', c.version, 'state', c.state, 'previous', c.previous,
                                      'at', to_char(c.state_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) as payload, c.n
            from changed c`,
        now,
      )}),
      pushes as (${vehiclePushSql(sql`(select vehicle_id as v, version, state from changed) as c`, now)})
      select t.n, t.vehicle_id is not null as found, t.known_vin, t.known_version
      from targets t where not exists (select 1 from accepted a where a.n = t.n)`),
  );
  const results: ReportResult[] = reports.map((r) => ({ eventId: r.eventId, status: "accepted" }));
  for (const row of notAccepted) {
    const report = reports[row.n - 1];
    if (!report) throw new Error("the report statement answers only for the reports it was given");
    results[row.n - 1] = row.found ? { eventId: report.eventId, status: "duplicate" } : { eventId: report.eventId, status: "rejected", reason: rejection(report, row) };
  }
  return { results };
}

function rejection(report: Report, found: NotAccepted): string {
  if (!found.known_vin) return `no vehicle with VIN ${report.vin}`;
  if (!found.known_version) return `no release ${report.version}`;
  return `vehicle ${report.vin} is not in the queue of release ${report.version}`;
}

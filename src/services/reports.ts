import { sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client";
import { rowsOf } from "../db/rows";
import { upToDateSql } from "./eligibility-sql";
import { enqueueWebhookEvent } from "./webhooks";
import { enqueueVehiclePush } from "./push-outbox";
import { type EntryState, type ReportedState, type UpdateState, applyReport } from "../domain/update-state";
import { compareVersions } from "../domain/version";

export type Report = { eventId: string; vin: string; version: string; state: ReportedState; at: Date; errorCode?: string };
export type ReportResult = { eventId: string | null; status: "accepted" | "duplicate" | "rejected"; reason?: string };

type Entry = EntryState & { vehicleId: number; releaseId: number; version: string; vin: string };
const json = (value: unknown) => JSON.stringify(value);

type Locked = { vehicle_id: number; vin: string; release_id: number; version: string; state: UpdateState; state_at: string | Date | null };

/**
 * The queue entries a batch speaks of, found by VIN and version and locked in
 * one statement (in key order, so concurrent batches about the same car apply
 * one after the other and never deadlock). Only reports that find no entry
 * cost a second read, which tells why (no such car, release or entry).
 */
async function loadTargets(tx: Tx, reports: Report[], stripe: number | null) {
  const pairs = [...new Map(reports.map((r) => [`${r.vin} ${r.version}`, { vin: r.vin, version: r.version }])).values()];
  const entries = rowsOf<Locked>(
    await tx.execute(sql`
      select q.vehicle_id, v.vin, q.release_id, r.version, q.state, q.state_at,
        -- The counter stripe of this transaction (migration 0006), set on the way: no round trip of its own.
        ${stripe === null ? sql`null` : sql`set_config('rollout.counter_stripe', ${String(stripe)}, true)`} as stripe
      from json_to_recordset(${json(pairs)}::json) as p(vin text, version text)
      join vehicles v on v.vin = p.vin
      join releases r on r.version = p.version
      join queue_entries q on q.vehicle_id = v.id and q.release_id = r.id
      order by q.vehicle_id, q.release_id
      for update of q`),
  );
  const entryKey = (vin: string, version: string) => `${vin} ${version}`;
  const entryMap = new Map(
    entries.map((e) => [
      entryKey(e.vin, e.version),
      { state: e.state, stateAt: e.state_at ? new Date(e.state_at) : null, vehicleId: Number(e.vehicle_id), releaseId: e.release_id, version: e.version, vin: e.vin },
    ]),
  );
  const missing = reports.filter((r) => !entryMap.has(entryKey(r.vin, r.version)));
  const known = missing.length
    ? rowsOf<{ kind: "vehicle" | "release"; name: string }>(
        await tx.execute(sql`
          select 'vehicle' as kind, vin as name from vehicles where vin in (select json_array_elements_text(${json([...new Set(missing.map((r) => r.vin))])}::json))
          union all
          select 'release', version from releases where version in (select json_array_elements_text(${json([...new Set(missing.map((r) => r.version))])}::json))`),
      )
    : [];
  const knownVins = new Set(known.filter((k) => k.kind === "vehicle").map((k) => k.name));
  const knownVersions = new Set(known.filter((k) => k.kind === "release").map((k) => k.name));
  return {
    find(report: Report): Entry | string {
      const entry = entryMap.get(entryKey(report.vin, report.version));
      if (entry) return entry;
      if (!knownVins.has(report.vin)) return `no vehicle with VIN ${report.vin}`;
      if (!knownVersions.has(report.version)) return `no release ${report.version}`;
      return `vehicle ${report.vin} is not in the queue of release ${report.version}`;
    },
  };
}

/**
 * Applies a batch of reports in one transaction: each report is accepted,
 * a duplicate (its event id was seen before) or rejected with a reason; the
 * accepted ones move queue entries (counters follow by trigger), record the
 * vehicle's history and, for installs, its firmware. Nothing is half-applied.
 * `stripe` (1-8) names the counter rows this transaction writes, so writers
 * that run side by side never wait on each other's counters.
 */
export async function recordReports({ db, reports, now, stripe = null }: { db: Db; reports: Report[]; now: Date; stripe?: number | null }) {
  return db.transaction(async (tx) => {
    const targets = await loadTargets(tx, reports, stripe);
    const results: ReportResult[] = [];
    const candidates: { report: Report; entry: Entry; result: ReportResult }[] = [];
    for (const report of reports) {
      const entry = targets.find(report);
      const result: ReportResult = typeof entry === "string" ? { eventId: report.eventId, status: "rejected", reason: entry } : { eventId: report.eventId, status: "accepted" };
      results.push(result);
      if (typeof entry !== "string") candidates.push({ report, entry, result });
    }
    const inserted = candidates.length
      ? rowsOf<{ event_id: string }>(
          await tx.execute(sql`
            insert into update_events (event_id, vehicle_id, release_id, version, state, error_code, at, received_at)
            select e.event_id, e.vehicle_id, e.release_id, e.version, e.state::update_state, e.error_code, e.at, ${now.toISOString()}::timestamptz
            from json_to_recordset(${json(
              candidates.map(({ report, entry }) => ({
                event_id: report.eventId,
                vehicle_id: entry.vehicleId,
                release_id: entry.releaseId,
                version: report.version,
                state: report.state,
                error_code: report.errorCode ?? null,
                at: report.at.toISOString(),
              })),
            )}::json) as e(event_id text, vehicle_id bigint, release_id int, version text, state text, error_code text, at timestamptz)
            on conflict (event_id) do nothing
            returning event_id`),
        )
      : [];
    // Accepted once: an event id seen before, or earlier in this batch, is a duplicate.
    const fresh = new Set(inserted.map((r) => r.event_id));
    for (const { report, result } of candidates) {
      if (fresh.delete(report.eventId)) continue;
      result.status = "duplicate";
    }
    const accepted = candidates.filter((c) => c.result.status === "accepted");
    const changes = foldReports(accepted);
    // Nothing below reads what another statement writes, so they go out together
    // (postgres.js pipelines them on the transaction's connection) and cost one
    // round trip instead of four; they still run one after the other, in this
    // order, and the first failure aborts the transaction as before.
    const payloads = changes.map((c) => ({ vin: c.vin, version: c.version, state: c.state, previous: c.from, at: c.stateAt.toISOString() }));
    await Promise.all([
      writeChanges(tx, changes, accepted, now),
      enqueueWebhookEvent(tx, "vehicle.state_changed", payloads, now),
      enqueueVehiclePush(tx, changes, now),
    ]);
    return { results, changes };
  });
}

type Change = { vehicleId: number; releaseId: number; version: string; vin: string; from: UpdateState; state: UpdateState; stateAt: Date };

/** Each entry's final state after its reports, applied in the order they happened. */
function foldReports(accepted: { report: Report; entry: Entry }[]): Change[] {
  const byEntry = new Map<string, { entry: Entry; reports: Report[] }>();
  for (const { report, entry } of accepted) {
    const key = `${entry.vehicleId}:${entry.releaseId}`;
    const group = byEntry.get(key) ?? { entry, reports: [] };
    group.reports.push(report);
    byEntry.set(key, group);
  }
  const changes: Change[] = [];
  for (const { entry, reports } of byEntry.values()) {
    let current: EntryState = entry;
    for (const report of [...reports].sort((a, b) => a.at.getTime() - b.at.getTime())) current = applyReport(current, report) ?? current;
    // A report always sets stateAt, so a changed entry has one.
    if (current.stateAt && (current.state !== entry.state || current.stateAt.getTime() !== entry.stateAt?.getTime())) {
      changes.push({ ...entry, from: entry.state, state: current.state, stateAt: current.stateAt });
    }
  }
  return changes;
}

/** Stores the changes: queue entries, then cars; both statements are sent before either is awaited. */
async function writeChanges(tx: Tx, changes: Change[], accepted: { report: Report; entry: Entry }[], now: Date): Promise<void> {
  const statements: PromiseLike<unknown>[] = [];
  if (changes.length) {
    statements.push(tx.execute(sql`
      update queue_entries q set state = c.state::update_state, state_at = c.state_at, updated_at = ${now.toISOString()}::timestamptz
      from json_to_recordset(${json(changes.map((c) => ({ v: c.vehicleId, r: c.releaseId, state: c.state, state_at: c.stateAt.toISOString() })))}::json)
        as c(v bigint, r int, state text, state_at timestamptz)
      where q.vehicle_id = c.v and q.release_id = c.r`));
  }
  if (accepted.length === 0) {
    await Promise.all(statements);
    return;
  }
  // One statement for the cars: each is seen at its latest report, and an
  // install moves its firmware (never a downgrade) and writes its history.
  const cars = new Map<number, { v: number; at: Date; version: string | null; installed_at: string | null }>();
  for (const { report, entry } of accepted) {
    const car = cars.get(entry.vehicleId) ?? { v: entry.vehicleId, at: report.at, version: null, installed_at: null };
    if (car.at < report.at) car.at = report.at;
    cars.set(entry.vehicleId, car);
  }
  for (const c of changes) {
    const car = cars.get(c.vehicleId);
    if (!car || c.state !== "installed" || c.from === "installed") continue;
    // Two releases installed in one batch: the newer version is what the car runs.
    if (car.version === null || compareVersions(c.version, car.version) > 0) Object.assign(car, { version: c.version, installed_at: c.stateAt.toISOString() });
  }
  statements.push(tx.execute(sql`
    with seen as (
      select * from json_to_recordset(${json([...cars.values()].map((c) => ({ ...c, at: c.at.toISOString() })))}::json)
        as s(v bigint, at timestamptz, version text, installed_at timestamptz)
    ),
    upgraded as (
      select v.id, v.firmware as previous, s.version from vehicles v join seen s on s.v = v.id
      where s.version is not null and not ${upToDateSql(sql`string_to_array(s.version, '.')::int[]`)}
    ),
    updated as (
      update vehicles v set last_seen_at = greatest(v.last_seen_at, s.at),
        firmware = coalesce(u.version, v.firmware),
        updated_at = case when u.id is null then v.updated_at else ${now.toISOString()}::timestamptz end
      from seen s left join upgraded u on u.id = s.v
      where v.id = s.v
      returning v.id, u.version, s.installed_at, u.previous, u.id is not null as upgraded
    )
    insert into firmware_changes (vehicle_id, from_firmware, to_firmware, source, at)
    select id, previous, version, 'install', installed_at from updated where upgraded`));
  await Promise.all(statements);
}

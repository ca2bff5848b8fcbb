import { sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client";
import { rowsOf } from "../db/rows";
import { enqueueWebhookEvent } from "./webhooks";
import { enqueueVehiclePush } from "./push-outbox";
import { type EntryState, type ReportedState, type UpdateState, applyReport } from "../domain/update-state";
import { type LockedEntry, type Target, entryKey, findTargets, lockEntries } from "./report-targets";
import { compareVersions } from "../domain/version";
import { upToDateSql } from "./eligibility-sql";

export type Report = { eventId: string; vin: string; version: string; state: ReportedState; at: Date; errorCode?: string };
export type ReportResult = { eventId: string | null; status: "accepted" | "duplicate" | "rejected"; reason?: string };

const json = (value: unknown) => JSON.stringify(value);

/**
 * Applies a batch of reports in one transaction: each report is accepted,
 * a duplicate (its event id was seen before) or rejected with a reason; the
 * accepted ones move queue entries (counters follow by trigger), record the
 * vehicle's history and, for installs, its firmware. Nothing is half-applied.
 * `stripe` (1-8) names the counter rows this transaction writes, so writers
 * that run side by side never wait on each other's counters. The reports are
 * stored before any entry is locked, so a batch holds its locks only for
 * the writes that need them (see lockEntries).
 */
export async function recordReports({ db, reports, now, stripe = null }: { db: Db; reports: Report[]; now: Date; stripe?: number | null }) {
  return db.transaction(async (tx) => {
    const targetOf = await findTargets(tx, reports, stripe);
    const results: ReportResult[] = [];
    const candidates: { report: Report; target: Target; result: ReportResult }[] = [];
    for (const report of reports) {
      const target = targetOf(report);
      const result: ReportResult = typeof target === "string" ? { eventId: report.eventId, status: "rejected", reason: target } : { eventId: report.eventId, status: "accepted" };
      results.push(result);
      if (typeof target !== "string") candidates.push({ report, target, result });
    }
    const inserted = candidates.length
      ? rowsOf<{ event_id: string }>(
          await tx.execute(sql`
            insert into update_events (event_id, vehicle_id, release_id, version, state, error_code, at, received_at)
            select e.event_id, e.vehicle_id, e.release_id, e.version, e.state::update_state, e.error_code, e.at, ${now.toISOString()}::timestamptz
            from json_to_recordset(${json(
              candidates.map(({ report, target }) => ({
                event_id: report.eventId,
                vehicle_id: target.vehicleId,
                release_id: target.releaseId,
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
    const locked = await lockEntries(tx, accepted.map((c) => c.target));
    const applied = accepted.flatMap(({ report, target }) => {
      const entry = locked.get(entryKey(target));
      return entry ? [{ report, entry }] : [];
    });
    const changes = foldReports(applied);
    if (changes.length) {
      // Under the entries' locks, so none of these reads what another writes:
      // they go out together (postgres.js pipelines them on the transaction's
      // connection), one round trip instead of four, still run in this order,
      // and the first failure aborts the transaction as before.
      const payloads = changes.map((c) => ({ vin: c.vin, version: c.version, state: c.state, previous: c.from, at: c.stateAt.toISOString() }));
      await Promise.all([
        moveEntries(tx, changes, now),
        upgradeInstalled(tx, changes, now),
        enqueueWebhookEvent(tx, "vehicle.state_changed", payloads, now),
        enqueueVehiclePush(tx, changes, now),
      ]);
    }
    return { results, changes };
  });
}

type Entry = LockedEntry;
type Change = { vehicleId: number; releaseId: number; version: string; vin: string; from: UpdateState; state: UpdateState; stateAt: Date };

/** Each entry's final state after its reports, applied in the order they happened. */
function foldReports(accepted: { report: Report; entry: Entry }[]): Change[] {
  const byEntry = new Map<string, { entry: Entry; reports: Report[] }>();
  for (const { report, entry } of accepted) {
    const key = entryKey(entry);
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

/** The entries' new states; the counters follow by trigger. */
async function moveEntries(tx: Tx, changes: Change[], now: Date) {
  await tx.execute(sql`
    update queue_entries q set state = c.state::update_state, state_at = c.state_at, updated_at = ${now.toISOString()}::timestamptz
    from json_to_recordset(${json(changes.map((c) => ({ v: c.vehicleId, r: c.releaseId, state: c.state, state_at: c.stateAt.toISOString() })))}::json)
      as c(v bigint, r int, state text, state_at timestamptz)
    where q.vehicle_id = c.v and q.release_id = c.r`);
}

/**
 * An install moves the car's firmware (never a downgrade) and writes its
 * history. Only cars whose entry just became installed are touched, and only
 * they are locked: a car's "last seen" is its newest accepted report, read
 * from update_events (services/vehicles.ts), so reports no longer rewrite
 * every reporting car (11 of ~55 ms of a batch of 1,000, under the locks).
 */
async function upgradeInstalled(tx: Tx, changes: Change[], now: Date) {
  const upgrades = new Map<number, { v: number; version: string; installed_at: string }>();
  for (const c of changes) {
    if (c.state !== "installed" || c.from === "installed") continue;
    const car = upgrades.get(c.vehicleId);
    // Two releases installed in one batch: the newer version is what the car runs.
    if (!car || compareVersions(c.version, car.version) > 0) upgrades.set(c.vehicleId, { v: c.vehicleId, version: c.version, installed_at: c.stateAt.toISOString() });
  }
  if (upgrades.size === 0) return;
  // The cars still older than their install, locked in key order and read as
  // they are now; the update and the history both follow from that read.
  await tx.execute(sql`
    with installed as (
      select * from json_to_recordset(${json([...upgrades.values()])}::json) as s(v bigint, version text, installed_at timestamptz)
    ),
    older as (
      select v.id, v.firmware as previous, s.version, s.installed_at
      from installed s join vehicles v on v.id = s.v
      where not ${upToDateSql(sql`string_to_array(s.version, '.')::int[]`)}
      order by v.id
      for no key update of v
    ),
    upgraded as (
      update vehicles v set firmware = o.version, updated_at = ${now.toISOString()}::timestamptz
      from older o where v.id = o.id
    )
    insert into firmware_changes (vehicle_id, from_firmware, to_firmware, source, at)
    select id, previous, version, 'install', installed_at from older`);
}

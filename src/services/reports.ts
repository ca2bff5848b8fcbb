import { sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client";
import { rowsOf } from "../db/rows";
import { releases, vehicles } from "../db/schema";
import { upToDateSql } from "./eligibility-sql";
import { enqueueWebhookEvent } from "./webhooks";
import { enqueueVehiclePush } from "./push-outbox";
import { type EntryState, type ReportedState, type UpdateState, applyReport } from "../domain/update-state";

export type Report = { eventId: string; vin: string; version: string; state: ReportedState; at: Date; errorCode?: string };
export type ReportResult = { eventId: string | null; status: "accepted" | "duplicate" | "rejected"; reason?: string };

type Entry = EntryState & { vehicleId: number; releaseId: number; version: string; vin: string };
const json = (value: unknown) => JSON.stringify(value);

/** The vehicles, releases and queue entries a batch speaks of: three indexed reads, entries locked. */
async function loadTargets(tx: Tx, reports: Report[]) {
  const found = await tx
    .select({ id: vehicles.id, vin: vehicles.vin })
    .from(vehicles)
    .where(sql`${vehicles.vin} in (select json_array_elements_text(${json([...new Set(reports.map((r) => r.vin))])}::json))`);
  const named = await tx
    .select({ id: releases.id, version: releases.version })
    .from(releases)
    .where(sql`${releases.version} in (select json_array_elements_text(${json([...new Set(reports.map((r) => r.version))])}::json))`);
  const vehicleId = new Map(found.map((v) => [v.vin, v.id]));
  const releaseId = new Map(named.map((r) => [r.version, r.id]));
  const pairs = reports.flatMap((r) => (vehicleId.has(r.vin) && releaseId.has(r.version) ? [{ v: vehicleId.get(r.vin), r: releaseId.get(r.version) }] : []));
  // Locked, so concurrent batches about the same vehicle apply one after the other.
  const entries = pairs.length
    ? rowsOf<{ vehicle_id: number; release_id: number; state: UpdateState; state_at: string | Date | null }>(
        await tx.execute(sql`
          select q.vehicle_id, q.release_id, q.state, q.state_at
          from queue_entries q join json_to_recordset(${json(pairs)}::json) as p(v bigint, r int)
            on q.vehicle_id = p.v and q.release_id = p.r
          order by q.vehicle_id, q.release_id
          for update of q`),
      )
    : [];
  const entryKey = (v: number, r: number) => `${v}:${r}`;
  const entryMap = new Map(
    entries.map((e) => [entryKey(Number(e.vehicle_id), e.release_id), { state: e.state, stateAt: e.state_at ? new Date(e.state_at) : null }]),
  );
  return {
    find(report: Report): Entry | string {
      const v = vehicleId.get(report.vin);
      if (v === undefined) return `no vehicle with VIN ${report.vin}`;
      const r = releaseId.get(report.version);
      if (r === undefined) return `no release ${report.version}`;
      const entry = entryMap.get(entryKey(v, r));
      if (!entry) return `vehicle ${report.vin} is not in the queue of release ${report.version}`;
      return { ...entry, vehicleId: v, releaseId: r, version: report.version, vin: report.vin };
    },
  };
}

/**
 * Applies a batch of reports in one transaction: each report is accepted,
 * a duplicate (its event id was seen before) or rejected with a reason; the
 * accepted ones move queue entries (counters follow by trigger), record the
 * vehicle's history and, for installs, its firmware. Nothing is half-applied.
 */
export async function recordReports({ db, reports, now }: { db: Db; reports: Report[]; now: Date }) {
  return db.transaction(async (tx) => {
    const targets = await loadTargets(tx, reports);
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
    await writeChanges(tx, changes, accepted, now);
    if (changes.length) {
      const payloads = changes.map((c) => ({ vin: c.vin, version: c.version, state: c.state, previous: c.from, at: c.stateAt.toISOString() }));
      await enqueueWebhookEvent(tx, "vehicle.state_changed", payloads, now);
      await enqueueVehiclePush(tx, changes, now);
    }
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

async function writeChanges(tx: Tx, changes: Change[], accepted: { report: Report; entry: Entry }[], now: Date) {
  if (changes.length) {
    await tx.execute(sql`
      update queue_entries q set state = c.state::update_state, state_at = c.state_at, updated_at = ${now.toISOString()}::timestamptz
      from json_to_recordset(${json(changes.map((c) => ({ v: c.vehicleId, r: c.releaseId, state: c.state, state_at: c.stateAt.toISOString() })))}::json)
        as c(v bigint, r int, state text, state_at timestamptz)
      where q.vehicle_id = c.v and q.release_id = c.r`);
  }
  const installs = changes.filter((c) => c.state === "installed" && c.from !== "installed");
  if (installs.length) {
    // The car now runs this version (never a downgrade), and its history says so.
    await tx.execute(sql`
      with installed as (
        select * from json_to_recordset(${json(installs.map((c) => ({ v: c.vehicleId, version: c.version, at: c.stateAt.toISOString() })))}::json)
          as i(v bigint, version text, at timestamptz)
      ),
      before as (
        select v.id, v.firmware from vehicles v join installed i on i.v = v.id
        where not ${upToDateSql(sql`string_to_array(i.version, '.')::int[]`)}
      ),
      updated as (
        update vehicles v set firmware = i.version, updated_at = ${now.toISOString()}::timestamptz
        from installed i join before b on b.id = i.v
        where v.id = i.v
        returning v.id, i.version, i.at, b.firmware as previous
      )
      insert into firmware_changes (vehicle_id, from_firmware, to_firmware, source, at)
      select id, previous, version, 'install', at from updated`);
  }
  if (accepted.length) {
    const seen = new Map<number, Date>();
    for (const { report, entry } of accepted) {
      const latest = seen.get(entry.vehicleId);
      if (!latest || latest < report.at) seen.set(entry.vehicleId, report.at);
    }
    await tx.execute(sql`
      update vehicles v set last_seen_at = greatest(v.last_seen_at, s.at)
      from json_to_recordset(${json([...seen].map(([v, at]) => ({ v, at: at.toISOString() })))}::json) as s(v bigint, at timestamptz)
      where v.id = s.v`);
  }
}

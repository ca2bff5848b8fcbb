import { sql } from "drizzle-orm";
import type { Tx } from "../db/client";
import { rowsOf } from "../db/rows";
import type { EntryState, UpdateState } from "../domain/update-state";

/** The queue entry a report speaks of, as found (not yet locked). */
export type Target = { vehicleId: number; releaseId: number; version: string; vin: string };
/** A target under lock: its state stays as read here until the commit. */
export type LockedEntry = Target & EntryState;

const json = (value: unknown) => JSON.stringify(value);
/** One queue entry: a car in a release. */
export const entryKey = (t: { vehicleId: number; releaseId: number }) => `${t.vehicleId}:${t.releaseId}`;

/**
 * The queue entries a batch speaks of, found by VIN and version in one
 * statement, without locks: which reports are accepted depends only on
 * whether their entry exists (entries are never removed while their release
 * exists) and on their event ids, so the batch can store its reports before
 * it waits for any car (lockEntries). Only reports that find no entry cost a
 * second read, which tells why (no such car, release or entry).
 */
export async function findTargets(tx: Tx, reports: { vin: string; version: string }[], stripe: number | null) {
  const pairs = [...new Map(reports.map((r) => [`${r.vin} ${r.version}`, { vin: r.vin, version: r.version }])).values()];
  const found = rowsOf<{ vehicle_id: number; vin: string; release_id: number; version: string }>(
    await tx.execute(sql`
      select q.vehicle_id, v.vin, q.release_id, r.version,
        -- The counter stripe of this transaction (migration 0007), set on the way: no round trip of its own.
        ${stripe === null ? sql`null` : sql`set_config('rollout.counter_stripe', ${String(stripe)}, true)`} as stripe
      from json_to_recordset(${json(pairs)}::json) as p(vin text, version text)
      join vehicles v on v.vin = p.vin
      join releases r on r.version = p.version
      join queue_entries q on q.vehicle_id = v.id and q.release_id = r.id`),
  );
  const pairKey = (vin: string, version: string) => `${vin} ${version}`;
  const targets = new Map(
    found.map((e) => [pairKey(e.vin, e.version), { vehicleId: Number(e.vehicle_id), releaseId: e.release_id, version: e.version, vin: e.vin }]),
  );
  const missing = reports.filter((r) => !targets.has(pairKey(r.vin, r.version)));
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
  return (report: { vin: string; version: string }): Target | string => {
    const target = targets.get(pairKey(report.vin, report.version));
    if (target) return target;
    if (!knownVins.has(report.vin)) return `no vehicle with VIN ${report.vin}`;
    if (!knownVersions.has(report.version)) return `no release ${report.version}`;
    return `vehicle ${report.vin} is not in the queue of release ${report.version}`;
  };
}

/**
 * Locks the entries about to change in key order (so concurrent batches about
 * the same car apply one after the other and never deadlock) and reads their
 * state, which stays true until the commit. Concurrent batches of random cars
 * nearly always share a few, and a batch that meets a locked one waits for
 * its commit: the locks are taken as late as possible, by primary key, so
 * that this wait is short.
 */
export async function lockEntries(tx: Tx, targets: Target[]): Promise<Map<string, LockedEntry>> {
  const unique = [...new Map(targets.map((t) => [entryKey(t), t])).values()];
  if (unique.length === 0) return new Map();
  const rows = rowsOf<{ vehicle_id: number; release_id: number; state: UpdateState; state_at: string | Date | null }>(
    await tx.execute(sql`
      select q.vehicle_id, q.release_id, q.state, q.state_at
      from json_to_recordset(${json(unique.map((t) => ({ v: t.vehicleId, r: t.releaseId })))}::json) as k(v bigint, r int)
      join queue_entries q on q.vehicle_id = k.v and q.release_id = k.r
      order by q.vehicle_id, q.release_id
      for update of q`),
  );
  const byKey = new Map(unique.map((t) => [entryKey(t), t]));
  const locked = new Map<string, LockedEntry>();
  for (const row of rows) {
    const key = entryKey({ vehicleId: Number(row.vehicle_id), releaseId: row.release_id });
    const target = byKey.get(key);
    if (target) locked.set(key, { ...target, state: row.state, stateAt: row.state_at ? new Date(row.state_at) : null });
  }
  return locked;
}

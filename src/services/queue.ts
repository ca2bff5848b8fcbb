import { and, asc, between, eq, gt, inArray, notExists, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { DbOrTx, Tx } from "../db/client";
import { queueEntries, releases, vehicles } from "../db/schema";
import { eligibleSql, upToDateSql } from "./eligibility-sql";
import { afterEveryCohort, cohortRankSql, queueOrderSql } from "./queue-order-sql";
import { waveOfPosition, waveRanges } from "../domain/waves";
import { type ReleaseTarget, type VehicleProfile, ineligibility, isUpToDate } from "../domain/eligibility";
import { type ReleaseView, getRelease } from "./releases";

/**
 * Gives every eligible vehicle its stable position in one statement, in the
 * queue order of `domain/queue-order.ts` (cohort, then a shuffle seeded by the
 * release, then vehicle id). Vehicles already on this version or newer are
 * recorded as skipped, without a position, by the same statement.
 */
export async function buildQueue(tx: Tx, release: ReleaseView, now: Date): Promise<number> {
  const at = sql`${now.toISOString()}::timestamptz`;
  // Sorting a million vehicles spills to disk at the default 4 MB.
  await tx.execute(sql`set local work_mem = '256MB'`);
  // One pass over the fleet: the skipped sort after every cohort, so the queued
  // take positions 1..N and the skipped ones are written after them (a second
  // statement for them read all the vehicles again, ~0.5 s on a million).
  // OFFSET 0 keeps the inner select apart: flattened, the version comparison
  // ran four times per car and the sort carried firmware_parts along.
  // Where a 1,000,000-car start spends its backend CPU (~3.9 s): picking and
  // ordering the fleet ~0.7 s, the heap ~0.6 s, the position index ~0.45 s (rows
  // come in position order, so it only appends), the primary key ~2.0 s (vehicle
  // ids come in shuffled order), the counters' trigger ~0.15 s. In vehicle order
  // the position index pays what the key saves, and blocked orders cost more.
  // Only a key that need not be filled at random removes it: built after the
  // rows in a table of the release's own (~0.2 s; the whole insert 1.85 s), or
  // on (release_id, shuffle key, vehicle_id), which the rows fill in order
  // (the whole insert 2.9 s); both change how every read finds a car's entry.
  await tx.execute(sql`
    insert into queue_entries (release_id, vehicle_id, position, state, state_at, joined_at, updated_at)
    select ${release.id}, v.id,
           case when v.skipped then null else row_number() over (order by ${queueOrderSql(release.seed, sql`case when v.skipped then ${sql.raw(String(afterEveryCohort))} else ${cohortRankSql} end`)}) end,
           (case when v.skipped then 'skipped' else 'queued' end)::update_state,
           case when v.skipped then ${at} end, case when v.skipped then null else ${at} end, ${at}
    from (select v.id, v.cohort, ${upToDateSql(release.version)} as skipped from vehicles v where ${eligibleSql(release)} offset 0) v`);
  // Fresh statistics, so the planner uses the position index for this release's
  // range reads right away (PGlite has no autovacuum to do it later).
  await tx.execute(sql`analyze queue_entries`);
  // The queue's size is its last position (one step down the position index).
  const [last] = await tx
    .select({ position: sql<number | null>`max(${queueEntries.position})` })
    .from(queueEntries)
    .where(eq(queueEntries.releaseId, release.id));
  return Number(last?.position ?? 0);
}

/** A vehicle as just written, with what decides which queues it may join. */
export type Joiner = { id: number } & VehicleProfile;

/** Releases that take late joiners (see enqueueLateJoiners); with `lockIds`, only those, locked. */
function openReleases(tx: Tx, lockIds?: number[]) {
  const newer = alias(releases, "newer");
  const query = tx
    .select({ id: releases.id, version: releases.version, channel: releases.channel, eligibility: releases.eligibility, seed: releases.seed, state: releases.state })
    .from(releases)
    .where(
      and(
        or(
          inArray(releases.state, ["rolling_out", "paused"]),
          and(
            eq(releases.state, "completed"),
            notExists(
              tx
                .select({ id: newer.id })
                .from(newer)
                .where(and(eq(newer.channel, releases.channel), gt(newer.versionParts, releases.versionParts), inArray(newer.state, ["rolling_out", "paused", "completed"]))),
            ),
          ),
        ),
        lockIds ? inArray(releases.id, lockIds) : undefined,
      ),
    )
    .orderBy(asc(releases.id));
  return lockIds ? query.for("update") : query;
}

/**
 * Vehicles registered or changed while releases roll out join the end of
 * every queue they have become eligible for, in the same queue order among
 * themselves (`queueOrderSql`, as at the start). Set-based: one statement
 * per release for any number of vehicles.
 *
 * A completed release is out for everyone it reached, so a car that becomes
 * eligible after completion joins the newest one of its channel (unless a
 * newer one is under way, which it joins instead) and is offered at once:
 * it never waits for a release that will not tick again.
 *
 * Given as `Joiner`s (an import knows what it just wrote), vehicles the
 * domain's eligibility rules exclude are left out before any SQL runs, and a
 * release none may join is neither locked nor queried: an import batch into
 * a region no release targets then costs one read of the open releases
 * instead of a lock on each and a statement over every car per release.
 */
export async function enqueueLateJoiners(tx: Tx, vehicles: (number | Joiner)[], now: Date) {
  if (vehicles.length === 0) return;
  const mayJoin = (release: ReleaseTarget) =>
    vehicles.flatMap((v) => (typeof v === "number" ? [v] : ineligibility(v, release) === null && !isUpToDate(v.firmware, release.version) ? [v.id] : []));
  const wanted = (await openReleases(tx)).filter((r) => mayJoin(r).length > 0).map((r) => r.id);
  if (wanted.length === 0) return;
  const open = await openReleases(tx, wanted);
  for (const { state, ...release } of open) {
    const completed = state === "completed";
    const at = sql`${now.toISOString()}::timestamptz`;
    await tx.execute(sql`
      with joiners as (
        select v.id, row_number() over (order by ${queueOrderSql(release.seed)}) as rn
        from vehicles v
        where v.id in (select json_array_elements_text(${JSON.stringify(mayJoin(release))}::json)::bigint)
          and ${eligibleSql(release)}
          and not ${upToDateSql(release.version)}
          and not exists (select 1 from queue_entries q where q.release_id = ${release.id} and q.vehicle_id = v.id)
      ),
      grown as (
        update releases set queue_size = queue_size + (select count(*) from joiners)
          ${completed ? sql`, offered_through = offered_through + (select count(*) from joiners)` : sql``}
        where id = ${release.id} and exists (select 1 from joiners)
        returning queue_size - (select count(*) from joiners) as before
      )
      insert into queue_entries (release_id, vehicle_id, position, state, offered_at, joined_at, updated_at)
      select ${release.id}, j.id, g.before + j.rn,
             ${completed ? sql`'offered'` : sql`'queued'`}::update_state, ${completed ? at : sql`null`}, ${at}, ${at}
      from joiners j cross join grown g`);
  }
}

export type QueueFilter = { wave?: number; state?: string; after?: number; limit: number };

/** A release's queue by its version, as the console pages through it. */
export async function releaseQueue(db: DbOrTx, version: string, filter: QueueFilter) {
  return listQueue(db, await getRelease(db, version), filter);
}

/** Queue entries in position order, paged by position; one range scan on the position index. */
export async function listQueue(db: DbOrTx, release: ReleaseView, filter: QueueFilter) {
  const ranges = waveRanges(release.waves.map((w) => w.share), release.queueSize);
  const range = filter.wave ? ranges[filter.wave - 1] : { from: 1, to: release.queueSize };
  if (!range) return { entries: [], next: null };
  const from = Math.max(range.from, (filter.after ?? 0) + 1);
  const rows = await db
    .select({ position: queueEntries.position, vin: vehicles.vin, state: queueEntries.state })
    .from(queueEntries)
    .innerJoin(vehicles, eq(vehicles.id, queueEntries.vehicleId))
    .where(
      and(
        eq(queueEntries.releaseId, release.id),
        between(queueEntries.position, from, range.to),
        filter.state ? sql`${queueEntries.state} = ${filter.state}::update_state` : undefined,
      ),
    )
    .orderBy(asc(queueEntries.position))
    .limit(filter.limit + 1);
  // The range condition leaves out the entries without a position (skipped ones).
  const entries = rows.slice(0, filter.limit).flatMap(({ position, vin, state }) =>
    position === null ? [] : [{ position, vin, state, wave: waveOfPosition(ranges, position) }],
  );
  return { entries, next: rows.length > filter.limit ? (entries.at(-1)?.position ?? null) : null };
}

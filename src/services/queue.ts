import { sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "../db/client";
import { rowsOf } from "../db/rows";
import type { Eligibility } from "../db/schema";
import { eligibleSql, upToDateSql } from "./eligibility-sql";
import { waveOfPosition, waveRanges } from "../domain/waves";
import type { ReleaseView } from "./releases";

/**
 * Gives every eligible vehicle its stable position in one statement: cohort
 * first (the enum is declared employee, early_access, standard), then a
 * pseudo-random order seeded by the release — fair, reproducible, and
 * unrelated to VIN or sign-up order. Vehicles already on this version or
 * newer are recorded as skipped, without a position.
 */
export async function buildQueue(tx: Tx, release: ReleaseView, now: Date): Promise<number> {
  const eligible = eligibleSql(release);
  // Sorting a million vehicles spills to disk at the default 4 MB.
  await tx.execute(sql`set local work_mem = '256MB'`);
  await tx.execute(sql`
    insert into queue_entries (release_id, vehicle_id, position, state, joined_at, updated_at)
    select ${release.id}, v.id,
           row_number() over (order by v.cohort, hashint8extended(v.id, ${release.seed})),
           'queued', ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz
    from vehicles v
    where ${eligible} and not ${upToDateSql(release.version)}`);
  await tx.execute(sql`
    insert into queue_entries (release_id, vehicle_id, position, state, state_at, updated_at)
    select ${release.id}, v.id, null, 'skipped', ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz
    from vehicles v
    where ${eligible} and ${upToDateSql(release.version)}`);
  // Fresh statistics, so the planner uses the position index for this release's
  // range reads right away (PGlite has no autovacuum to do it later).
  await tx.execute(sql`analyze queue_entries`);
  const [row] = rowsOf<{ n: number }>(
    await tx.execute(sql`select count(*)::int as n from queue_entries where release_id = ${release.id} and position is not null`),
  );
  return row!.n;
}

/**
 * Vehicles registered or changed while releases roll out join the end of
 * every queue they have become eligible for, in the same fair order among
 * themselves. Set-based: one statement for any number of vehicles.
 *
 * A completed release is out for everyone it reached, so a car that becomes
 * eligible after completion joins the newest one of its channel (unless a
 * newer one is under way, which it joins instead) and is offered at once:
 * it never waits for a release that will not tick again.
 */
export async function enqueueLateJoiners(tx: Tx, vehicleIds: number[], now: Date) {
  if (vehicleIds.length === 0) return;
  const open = await tx.execute(sql`
    select id, version, channel, eligibility, seed, state = 'completed' as completed from releases r
    where state in ('rolling_out', 'paused')
       or (state = 'completed' and not exists (
             select 1 from releases n where n.channel = r.channel and n.version_parts > r.version_parts
               and n.state in ('rolling_out', 'paused', 'completed')))
    order by id for update`);
  type Open = { id: number; version: string; channel: string; eligibility: Eligibility; seed: number; completed: boolean };
  for (const release of rowsOf<Open>(open)) {
    const at = sql`${now.toISOString()}::timestamptz`;
    await tx.execute(sql`
      with joiners as (
        select v.id, row_number() over (order by v.cohort, hashint8extended(v.id, ${release.seed})) as rn
        from vehicles v
        where v.id in (select json_array_elements_text(${JSON.stringify(vehicleIds)}::json)::bigint)
          and ${eligibleSql(release)}
          and not ${upToDateSql(release.version)}
          and not exists (select 1 from queue_entries q where q.release_id = ${release.id} and q.vehicle_id = v.id)
      ),
      grown as (
        update releases set queue_size = queue_size + (select count(*) from joiners)
          ${release.completed ? sql`, offered_through = offered_through + (select count(*) from joiners)` : sql``}
        where id = ${release.id} and exists (select 1 from joiners)
        returning queue_size - (select count(*) from joiners) as before
      )
      insert into queue_entries (release_id, vehicle_id, position, state, offered_at, joined_at, updated_at)
      select ${release.id}, j.id, g.before + j.rn,
             ${release.completed ? sql`'offered'` : sql`'queued'`}::update_state, ${release.completed ? at : sql`null`}, ${at}, ${at}
      from joiners j cross join grown g`);
  }
}

export type QueueFilter = { wave?: number; state?: string; after?: number; limit: number };

/** Queue entries in position order, paged by position; one range scan on the position index. */
export async function listQueue(db: DbOrTx, release: ReleaseView, filter: QueueFilter) {
  const ranges = waveRanges(release.waves.map((w) => w.share), release.total);
  const range = filter.wave ? ranges[filter.wave - 1] : { from: 1, to: release.total };
  if (!range) return { entries: [], next: null };
  const from = Math.max(range.from, (filter.after ?? 0) + 1);
  const rows = rowsOf<{ position: number; vin: string; state: string }>(
    await db.execute(sql`
      select q.position, v.vin, q.state
      from queue_entries q join vehicles v on v.id = q.vehicle_id
      where q.release_id = ${release.id} and q.position between ${from} and ${range.to}
        ${filter.state ? sql`and q.state = ${filter.state}::update_state` : sql``}
      order by q.position
      limit ${filter.limit + 1}`),
  );
  const page = rows.slice(0, filter.limit);
  return {
    entries: page.map((r) => ({ position: r.position, vin: r.vin, state: r.state, wave: waveOfPosition(ranges, r.position) })),
    next: rows.length > filter.limit ? page.at(-1)!.position : null,
  };
}

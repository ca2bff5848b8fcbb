import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx } from "../db/client";
import { prepared } from "../db/prepared";
import type { updateState } from "../db/schema";
import { type CarContext, type ReleaseContext, parseReleaseContext, releaseContextFields } from "./track-context";
import type { TrackedVehicle } from "./track-status";

// Owner reads are one round trip for many codes: each code's vehicle and its release
// context in one prepared statement (two statements were a third of an uncached read's
// CPU and most of its wait), for every code in the batch (services/owner-answers.ts
// gathers the reads that arrive together).
//
// The statement answers two kinds of rows. What all cars of a release read alike (the
// release, its waves, its events, its re-plans) is built once per release in the batch,
// as JSON text, on a row of its own (n = 0): sent on every car's row it was ~85% of the
// bytes that both databases produced and this process decoded, and it is parsed once per
// version of its text (below). Each car's row (n = its code's place in the batch, from 1)
// names its release by id and carries its place in the queue as plain columns, and its
// own events and channel changes (mostly none) as JSON.
//
// Per code, the databases do one lookup per index the answer needs (the code's hash,
// the queue entry, the car's events, its channel changes), and no subquery per car:
// the release every car of a channel sees is found once per statement (only a car
// without one, whose release has ended, looks for its own), and the cars' events and
// channel changes are gathered for the batch at once. Per car, the subqueries were a
// third of this statement's cost in PGlite.
//
// The codes come as a JSON array, not as an array literal: the planner counts the
// elements of a literal, so each run with a small batch got a plan of its own, cheaper
// on paper than the cached generic one, and Postgres went on planning this statement on
// every run (~0.7 ms of its CPU, more than running it for a dozen codes). Of a JSON array
// it never knows the length, so every run rates the same, and after its first five runs
// the statement keeps its generic plan (test/api/owner-read-plans.test.ts).

/** The vehicle behind an owner code or a live share link, on two hash indexes. */
export const carOfCode = (hash: SQL) => sql`(select id, vin, model, hardware, region, channel, firmware, false as shared
     from vehicles where owner_code_hash = ${hash}
     union all
     select v.id, v.vin, v.model, v.hardware, v.region, v.channel, v.firmware, true
     from share_links s join vehicles v on v.id = s.vehicle_id
     where s.code_hash = ${hash} and s.revoked_at is null
       and s.expires_at > ${sql.placeholder("now")}::timestamptz
     limit 1) as t`;

/** The car's own columns of `carOfCode`'s row, as both the batch and the single lookup select them. */
export const carFields = {
  id: sql<number>`t.id`,
  vin: sql<string>`t.vin`,
  model: sql<string>`t.model`,
  hardware: sql<string>`t.hardware`,
  region: sql<string>`t.region`,
  channel: sql<"stable" | "beta">`t.channel`,
  firmware: sql<string>`t.firmware`,
  shared: sql<boolean>`t.shared`,
};

const asText = (field: SQL) => sql`(${field})::text`;

const codesWithContext = (db: DbOrTx) =>
  db
    .select({
      n: sql<number>`t.n`,
      releaseId: sql<number | null>`t.release_id`,
      release: sql<string | null>`t.release`,
      waves: sql<string | null>`t.waves`,
      releaseEvents: sql<string | null>`t.release_events`,
      replans: sql<string | null>`t.replans`,
      ...carFields,
      position: sql<number | null>`t.position`,
      state: sql<(typeof updateState.enumValues)[number] | null>`t.state`,
      offeredAt: sql<string | null>`t.offered_at`,
      joinedAt: sql<string | null>`t.joined_at`,
      updatedAt: sql<string | null>`t.updated_at`,
      events: sql<unknown>`t.events`,
      channelChanges: sql<unknown>`t.channel_changes`,
    })
    .from(
      sql`(with live as materialized (
          -- The newest release of each channel that is rolling out or paused.
          select distinct on (channel) channel, id from releases
          where state in ('rolling_out', 'paused') order by channel, version_parts desc),
        cars as materialized (
          -- Else the newest ended one the car was queued in (track-context.ts releaseOf, for one car).
          select k.n::int as n, t.*, coalesce(live.id, (
              select r.id from queue_entries q join releases r on r.id = q.release_id
              where q.vehicle_id = t.id and r.state in ('halted', 'completed')
              order by r.version_parts desc limit 1)) as release_id
          from json_array_elements_text(${sql.placeholder("hashes")}::json) with ordinality as k(hash, n)
          cross join lateral ${carOfCode(sql`k.hash`)}
          left join live on live.channel = t.channel),
        -- Each car's own events in its release and its channel changes, for the batch at once
        -- (on the indexes on (vehicle_id, at)): most cars have none. A car may come twice
        -- (its owner's code and a share link), its events still once.
        events as (
          select u.vehicle_id, json_agg(json_build_object('state', u.state, 'at', u.at) order by u.at) as events
          from update_events u where (u.vehicle_id, u.release_id) in (select id, release_id from cars)
          group by u.vehicle_id),
        channel_changes as (
          select a.vehicle_id, json_agg(json_build_object('at', a.at, 'after', a.after) order by a.at) as channel_changes
          from audit_log a where a.vehicle_id in (select id from cars) and a.action = 'vehicle.channel_changed'
          group by a.vehicle_id)
        select 0 as n, c.id as release_id, ${asText(releaseContextFields.release)} as release, ${asText(releaseContextFields.waves)} as waves,
          ${asText(releaseContextFields.releaseEvents)} as release_events, ${asText(releaseContextFields.replans)} as replans,
          null as id, null as vin, null as model, null as hardware, null as region, null as channel, null as firmware, null as shared,
          null as position, null as state, null as offered_at, null as joined_at, null as updated_at, null as events, null as channel_changes
        from releases c where c.id in (select release_id from cars)
        union all
        select cars.n, cars.release_id, null, null, null, null,
          cars.id, cars.vin, cars.model, cars.hardware, cars.region, cars.channel, cars.firmware, cars.shared,
          q.position, q.state, q.offered_at, q.joined_at, q.updated_at, e.events, c.channel_changes
        from cars left join queue_entries q on q.vehicle_id = cars.id and q.release_id = cars.release_id
        left join events e on e.vehicle_id = cars.id
        left join channel_changes c on c.vehicle_id = cars.id) as t`,
    )
    .prepare("track_by_codes");

// The release-wide part as parsed last, by its text: a refresh storm reads the same
// few releases thousands of times, and parsing them was most of a read's own CPU.
const releaseContexts = new Map<string, ReleaseContext>();
const maxReleaseContexts = 32;
function releaseContextOf(row: { release: string | null; waves: string | null; releaseEvents: string | null; replans: string | null }) {
  const key = `${row.release}\u0000${row.waves}\u0000${row.releaseEvents}\u0000${row.replans}`;
  let context = releaseContexts.get(key);
  if (!context) {
    context = parseReleaseContext(row);
    if (releaseContexts.size >= maxReleaseContexts) releaseContexts.clear();
    releaseContexts.set(key, context);
  }
  return context;
}

// A car's own events and channel changes: JSON, and for most cars none at all.
const CarEvents = z.array(z.object({ state: z.string(), at: z.string() }));
const ChannelChanges = z.array(z.object({ at: z.string(), after: z.object({ channel: z.string() }) }));

/** A car of the batch: its code's hash, the vehicle, the id of its release (null: none) and its own part of the answer. */
export type BatchCar = { codeHash: string; vehicle: TrackedVehicle; releaseId: number | null; car: CarContext };

/** Each known code's car and the releases they read: one round trip. */
export async function readCodes(db: Db, codeHashes: readonly string[], now: Date) {
  const rows = await prepared(db, "track_by_codes", codesWithContext).execute({ hashes: JSON.stringify(codeHashes), now: now.toISOString() });
  const releases = new Map<number, ReleaseContext>();
  const cars: BatchCar[] = [];
  for (const row of rows) {
    if (row.n === 0) {
      if (row.releaseId !== null) releases.set(Number(row.releaseId), releaseContextOf(row));
      continue;
    }
    const codeHash = codeHashes[row.n - 1];
    if (codeHash === undefined) throw new Error(`track_by_codes: a row for code ${row.n} of ${codeHashes.length}`);
    cars.push({
      codeHash,
      vehicle: { id: Number(row.id), vin: row.vin, model: row.model, hardware: row.hardware, region: row.region, channel: row.channel, firmware: row.firmware, shared: row.shared },
      releaseId: row.releaseId === null ? null : Number(row.releaseId),
      car: {
        // State and updated_at are never null in an entry: null is no entry (the left join found none).
        entry:
          row.state === null || row.updatedAt === null
            ? null
            : { position: row.position, state: row.state, offeredAt: row.offeredAt, joinedAt: row.joinedAt, updatedAt: row.updatedAt },
        events: row.events === null ? [] : CarEvents.parse(row.events),
        channelChanges: row.channelChanges === null ? [] : ChannelChanges.parse(row.channelChanges),
      },
    });
  }
  return { releases, cars };
}

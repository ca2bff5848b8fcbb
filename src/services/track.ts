import { type SQL, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../db/client";
import { prepared } from "../db/prepared";
import { sha256Hex } from "../lib/secrets";
import { type ReleaseContext, carContextFields, parseCarContext, parseReleaseContext, releaseContextFields, releaseOf, trackContext } from "./track-context";
import { type ReleaseView, type TrackedVehicle, carStatus, releaseView } from "./track-status";

export type { TrackedVehicle } from "./track-status";

// The vehicle behind an owner code or a live share link, on two hash indexes.
const carOfCode = (hash: SQL) => sql`(select id, vin, model, hardware, region, channel, firmware, false as shared
     from vehicles where owner_code_hash = ${hash}
     union all
     select v.id, v.vin, v.model, v.hardware, v.region, v.channel, v.firmware, true
     from share_links s join vehicles v on v.id = s.vehicle_id
     where s.code_hash = ${hash} and s.revoked_at is null
       and s.expires_at > ${sql.placeholder("now")}::timestamptz
     limit 1) as t`;

const carFields = {
  id: sql<number>`t.id`,
  vin: sql<string>`t.vin`,
  model: sql<string>`t.model`,
  hardware: sql<string>`t.hardware`,
  region: sql<string>`t.region`,
  channel: sql<"stable" | "beta">`t.channel`,
  firmware: sql<string>`t.firmware`,
  shared: sql<boolean>`t.shared`,
};

const codeLookup = (db: DbOrTx) => db.select(carFields).from(carOfCode(sql`${sql.placeholder("hash")}`)).prepare("vehicle_for_code");

// Owner reads are one round trip for many codes: each code's vehicle and its release
// context in one prepared statement (two statements were a third of an uncached read's
// CPU and most of its wait), for every code in the batch (services/owner-answers.ts
// gathers the reads that arrive together). What all cars of a release read alike
// (the release, its waves, its events, its re-plans) is built once per release in
// the batch and comes as JSON text on the first row of that release only (the
// other rows name the release by id): sent on every row it was ~85% of the bytes
// that both databases produced and this process decoded. The text is parsed once
// per version of it (below).
//
// The codes come as a JSON array, not as an array literal: the planner counts the
// elements of a literal, so each run with a small batch got a plan of its own,
// cheaper on paper than the cached generic one, and Postgres went on planning this
// statement on every run (~0.7 ms of its CPU, more than running it for a dozen codes).
// Of a JSON array it never knows the length, so every run rates the same, and after
// its first five runs the statement keeps its generic plan.
const codeCar = { id: sql`t.id`, channel: sql`t.channel` };
const asText = (field: SQL) => sql`(${field})::text`;
const onFirst = (column: string) => sql.raw(`case when cars.first_of_release then rel.${column} end as ${column}`);
const codesWithContext = (db: DbOrTx) =>
  db
    .select({
      codeHash: sql<string>`t.hash`,
      ...carFields,
      releaseId: sql<number | null>`t.release_id`,
      release: sql<string | null>`t.release`,
      waves: sql<string | null>`t.waves`,
      releaseEvents: sql<string | null>`t.release_events`,
      replans: sql<string | null>`t.replans`,
      ...carContextFields(codeCar, sql`t.release_id`),
    })
    .from(
      sql`(with cars as materialized (
          select k.hash, t.*, c.id as release_id
          from json_array_elements_text(${sql.placeholder("hashes")}::json) as k(hash)
          cross join lateral ${carOfCode(sql`k.hash`)} ${releaseOf(codeCar)}),
        rel as (
          select c.id as release_id, ${asText(releaseContextFields.release)} as release, ${asText(releaseContextFields.waves)} as waves,
            ${asText(releaseContextFields.releaseEvents)} as release_events, ${asText(releaseContextFields.replans)} as replans
          from releases c where c.id in (select release_id from cars))
        select cars.*, ${onFirst("release")}, ${onFirst("waves")}, ${onFirst("release_events")}, ${onFirst("replans")}
        from (select cars.*, row_number() over (partition by cars.release_id) = 1 as first_of_release from cars) as cars
        left join rel using (release_id)) as t`,
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

const toVehicle = (row: TrackedVehicle): TrackedVehicle => ({
  id: Number(row.id),
  vin: row.vin,
  model: row.model,
  hardware: row.hardware,
  region: row.region,
  channel: row.channel,
  firmware: row.firmware,
  shared: row.shared,
});

/** The vehicle behind an owner code or a live share link: one prepared query on two hash indexes. */
export async function vehicleForCode(db: Db, code: string, now: Date): Promise<TrackedVehicle | null> {
  const [row] = await prepared(db, "vehicle_for_code", codeLookup).execute({ hash: sha256Hex(code), now: now.toISOString() });
  return row ? toVehicle(row) : null;
}

export type OwnerStatus = ReturnType<typeof carStatus>;

/** The owner's status behind each code's hash (see secrets.ts); an unknown, expired or revoked code has none. One round trip. */
export async function trackCodes(db: Db, codeHashes: readonly string[], now: Date, beatMs: number): Promise<Map<string, OwnerStatus>> {
  const rows = await prepared(db, "track_by_codes", codesWithContext).execute({ hashes: JSON.stringify(codeHashes), now: now.toISOString() });
  // The release-wide part, from the one row of each release that carries it, derived once for all its cars.
  const views = new Map<number, ReleaseView | null>();
  for (const row of rows) if (row.releaseId !== null && row.release !== null) views.set(Number(row.releaseId), releaseView(releaseContextOf(row), now));
  const viewOf = (row: (typeof rows)[number]) => {
    // Cars without a release all read the same empty context.
    if (row.releaseId === null) return null;
    const view = views.get(Number(row.releaseId));
    if (view === undefined) throw new Error(`track_by_codes: no release context for release ${row.releaseId}`);
    return view;
  };
  return new Map(rows.map((row) => [row.codeHash, carStatus(toVehicle(row), viewOf(row), parseCarContext(row), now, beatMs)]));
}

/** The owner's status in the SPEC's fixed shape. */
export async function trackVehicle(db: Db, vehicle: TrackedVehicle, now: Date, beatMs: number) {
  const context = await trackContext(db, vehicle);
  return carStatus(vehicle, releaseView(context, now), context, now, beatMs);
}

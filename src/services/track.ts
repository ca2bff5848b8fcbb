import { type SQL, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../db/client";
import { prepared } from "../db/prepared";
import { ineligibility, isUpToDate } from "../domain/eligibility";
import type { ReleasePurpose } from "../db/schema";
import type { LocalizedList, LocalizedText } from "../domain/localized-text";
import { etaRange } from "../domain/eta";
import { offerForecast, waveWindows } from "../domain/forecast";
import { maskVin } from "../domain/vin";
import { waveOfPosition, waveRanges } from "../domain/waves";
import { sha256Hex } from "../lib/secrets";
import { clockOf } from "./release-model";
import {
  type ReleaseContext,
  type TrackContext,
  type TrackEntry,
  carContextFields,
  parseCarContext,
  parseReleaseContext,
  releaseContextFields,
  releaseOf,
  trackContext,
} from "./track-context";
import { replanSteps } from "./track-replans";

export type TrackedVehicle = { id: number; vin: string; model: string; hardware: string; region: string; channel: "stable" | "beta"; firmware: string; shared: boolean };

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
// per version of it (below). Hex hashes never hold a comma.
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
          from unnest(string_to_array(${sql.placeholder("hashes")}, ',')) as k(hash)
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

export type OwnerStatus = ReturnType<typeof ownerStatus>;

/** The owner's status behind each code's hash (see secrets.ts); an unknown, expired or revoked code has none. One round trip. */
export async function trackCodes(db: Db, codeHashes: readonly string[], now: Date, beatMs: number): Promise<Map<string, OwnerStatus>> {
  const rows = await prepared(db, "track_by_codes", codesWithContext).execute({ hashes: codeHashes.join(","), now: now.toISOString() });
  // The release-wide part, from the one row of each release that carries it.
  const releases = new Map<number, ReleaseContext>();
  for (const row of rows) if (row.releaseId !== null && row.release !== null) releases.set(Number(row.releaseId), releaseContextOf(row));
  const releaseContext = (row: (typeof rows)[number]) => (row.releaseId === null ? releaseContextOf(row) : releases.get(Number(row.releaseId)));
  return new Map(
    rows.map((row) => {
      const release = releaseContext(row);
      if (!release) throw new Error(`track_by_codes: no release context for release ${row.releaseId}`);
      return [row.codeHash, ownerStatus(toVehicle(row), { ...release, ...parseCarContext(row) }, now, beatMs)];
    }),
  );
}


/** The owner's status in the SPEC's fixed shape. */
export async function trackVehicle(db: Db, vehicle: TrackedVehicle, now: Date, beatMs: number) {
  return ownerStatus(vehicle, await trackContext(db, vehicle), now, beatMs);
}

function ownerStatus(vehicle: TrackedVehicle, context: TrackContext, now: Date, beatMs: number) {
  // `access` lets the page leave out what only the owner may do (a share link cannot change the channel).
  const base = { vehicle: { vin: maskVin(vehicle.vin), model: vehicle.model, firmware: vehicle.firmware, channel: vehicle.channel }, access: vehicle.shared ? ("share" as const) : ("owner" as const) };
  const release = context.release;
  if (!release) return { ...base, release: null, state: "up_to_date" as const, queue: null, eta: null, notice: null, timeline: [] };

  const publicRelease = ownerRelease(release);
  // Localized fields leave here as written; the handler picks the reader's language (localizeStatus).
  const notice =
    release.noticeKind && release.noticeAt
      ? { kind: release.noticeKind, message: release.noticeMessageLocalized ?? release.noticeMessage ?? "", at: release.noticeAt }
      : null;
  const entry = context.entry;
  const channelEvents = context.channelChanges.map((c) => ({ state: "channel_changed", at: c.at, channel: c.after.channel }));
  if (!entry) {
    const excluded = ineligibility(vehicle, release);
    if (isUpToDate(vehicle.firmware, release.version) || !excluded) {
      return { ...base, release: publicRelease, state: "up_to_date" as const, queue: null, eta: null, notice: null, timeline: channelEvents };
    }
    const { reason, code: reasonCode } = excluded;
    return { ...base, release: publicRelease, state: "not_eligible" as const, reason, reasonCode, queue: null, eta: null, notice: null, timeline: channelEvents };
  }

  // Only skipped entries have no position: the car was already up to date when the release started.
  if (entry.state === "skipped" || entry.position === null) {
    return { ...base, release: publicRelease, state: "up_to_date" as const, queue: null, eta: null, notice: null, timeline: channelEvents };
  }
  const { state, position } = entry;
  const clock = clockOf(release, context.waves);
  const waveIndex = waveOfPosition(waveRanges(clock.waves.map((w) => w.share), clock.queueSize), position);
  const wave = waveIndex === null ? undefined : clock.waves[waveIndex - 1];
  const windows = waveWindows(clock, now);
  const forecast = state === "queued" ? offerForecast(clock, windows, position, now) : null;
  return {
    ...base,
    release: publicRelease,
    state,
    queue: {
      position,
      total: clock.queueSize,
      ahead: Math.max(0, position - 1 - clock.offeredThrough),
      offered: Math.min(clock.queueSize, clock.offeredThrough),
      wave: wave ? { index: wave.index, name: context.waves.find((w) => w.index === wave.index)?.nameLocalized ?? wave.name, state: wave.state } : null,
    },
    eta: forecast ? etaRange(forecast, now, beatMs) : null,
    notice,
    timeline: timeline(context, entry, wave?.index ?? null, [...channelEvents, ...replanSteps(context.replans, clock.queueSize, position, entry.joinedAt ?? new Date(0).toISOString())]),
  };
}

/** What owners read about the release: the UN R156 fields only where the release has them (the fixed shape stays). */
function ownerRelease(release: NonNullable<TrackContext["release"]>) {
  const optional: { purpose: ReleasePurpose | null; installMinutes: number | null; unavailableDuring: LocalizedList | null; instructions: LocalizedList | null } = {
    purpose: release.purpose,
    installMinutes: release.installMinutes,
    unavailableDuring: release.unavailableDuring,
    instructions: release.instructions,
  };
  const present: Partial<{ [K in keyof typeof optional]: NonNullable<(typeof optional)[K]> }> = {};
  if (optional.purpose !== null) present.purpose = optional.purpose;
  if (optional.installMinutes !== null) present.installMinutes = optional.installMinutes;
  if (optional.unavailableDuring !== null) present.unavailableDuring = optional.unavailableDuring;
  if (optional.instructions !== null) present.instructions = optional.instructions;
  return { version: release.version, notes: release.notesLocalized ?? release.notes, ...present };
}

/** The car's own steps merged with the release events that touched it. */
function timeline(context: TrackContext, entry: TrackEntry, waveIndex: number | null, carEvents: { state: string; at: string }[]) {
  // A car's line starts when it joined this queue: the start for most, later for late joiners
  // (entries from before joined_at existed fall back to the release's start).
  const started = context.releaseEvents.find((e) => e.kind === "started")?.at;
  const joined = entry.joinedAt ?? started ?? entry.updatedAt;
  const steps: { state: string; at: string; message?: LocalizedText; wave?: number }[] = [{ state: "queued", at: joined }];
  for (const e of context.releaseEvents) {
    if (e.kind === "started" || Date.parse(e.at) < Date.parse(joined)) continue;
    else if (e.kind === "wave_opened" && e.wave === waveIndex) steps.push({ state: "wave_opened", at: e.at, wave: e.wave ?? undefined });
    else if (["paused", "resumed", "halted", "completed"].includes(e.kind)) steps.push({ state: e.kind, at: e.at, ...(e.message ? { message: e.messageLocalized ?? e.message } : {}) });
  }
  if (entry.offeredAt) steps.push({ state: "offered", at: entry.offeredAt });
  for (const e of context.events) steps.push({ state: e.state, at: e.at });
  steps.push(...carEvents);
  return steps
    .map((s) => ({ ...s, at: new Date(s.at).toISOString() }))
    .sort((a, b) => a.at.localeCompare(b.at));
}

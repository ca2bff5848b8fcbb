import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx } from "../db/client";
import { prepared } from "../db/prepared";
import { releasePurposes, releaseState, updateState, waveState } from "../db/schema";
import type { ReleaseClockRow, WaveClockRow } from "./release-model";

// The owner's page reads everything about its release in one prepared round
// trip, so the nested parts (waves, timelines) come back as JSON. This schema
// parses that row once, with camelCase keys named as in the drizzle schema;
// `clockOf` accepting the parsed rows proves the two agree.

const date = z.coerce.date();
const instant = z.string(); // timeline times: compared and re-formatted, never computed with

/** A string, or an object of locales with `en` (validated on the way in; here only its shape). */
const localizedText = z.union([z.string(), z.object({ en: z.string() }).catchall(z.string())]);
const localizedList = z.union([z.string(), z.array(z.string()), z.object({ en: z.union([z.string(), z.array(z.string())]) }).catchall(z.union([z.string(), z.array(z.string())]))]);

const ReleaseJson = z.object({
  version: z.string(),
  notes: z.string(),
  notesLocalized: localizedText.nullable(),
  purpose: z.enum(releasePurposes).nullable(),
  installMinutes: z.number().int().nullable(),
  unavailableDuring: localizedList.nullable(),
  instructions: localizedList.nullable(),
  channel: z.string(),
  eligibility: z.object({
    models: z.array(z.string()).optional(),
    hardware: z.array(z.string()).optional(),
    regions: z.array(z.string()).optional(),
    minVersion: z.string().optional(),
  }),
  state: z.enum(releaseState.enumValues),
  queueSize: z.number().int(),
  offeredThrough: z.number().int(),
  clockStartedAt: date.nullable(),
  offeredAtClockStart: z.number().int(),
  pausedAt: date.nullable(),
  noticeKind: z.enum(["paused", "halted"]).nullable(),
  noticeMessage: z.string().nullable(),
  noticeMessageLocalized: localizedText.nullable(),
  noticeAt: instant.nullable(),
}) satisfies z.ZodType<ReleaseClockRow>;

const WaveJson = z.object({
  index: z.number().int(),
  name: z.string(),
  nameLocalized: localizedText.nullable(),
  share: z.number(),
  ratePerHour: z.number().int().nullable(),
  startAt: date.nullable(),
  autoAdvance: z.object({ minSuccessPercent: z.number(), soakMinutes: z.number() }).nullable(),
  stopAt: z.object({ maxFailurePercent: z.number(), minSample: z.number(), action: z.enum(["pause", "halt"]) }).nullable(),
  state: z.enum(waveState.enumValues),
  openedAt: date.nullable(),
  fullyOfferedAt: date.nullable(),
  soakStartedAt: date.nullable(),
  fullyOfferedThrough: z.number().int().nullable(),
}) satisfies z.ZodType<WaveClockRow>;

const EntryJson = z.object({
  position: z.number().int().nullable(),
  state: z.enum(updateState.enumValues),
  offeredAt: instant.nullable(),
  joinedAt: instant.nullable(),
  updatedAt: instant,
});

// What every car of a release reads alike, and what is the car's own.
const ReleaseContextRow = z.object({
  release: ReleaseJson.nullable(),
  waves: z.array(WaveJson).nullable().transform((w) => w ?? []),
  releaseEvents: z
    .array(z.object({ kind: z.string(), wave: z.number().int().nullable(), message: z.string().nullable(), messageLocalized: localizedText.nullable(), at: instant }))
    .nullable()
    .transform((e) => e ?? []),
  // Plan changes of the release (audit summaries), replayed against the car's position by track-replans.ts.
  replans: z.array(z.unknown()).nullable().transform((r) => r ?? []),
});

const CarContextRow = z.object({
  entry: EntryJson.nullable(),
  events: z.array(z.object({ state: z.string(), at: instant })).nullable().transform((e) => e ?? []),
  channelChanges: z.array(z.object({ at: instant, after: z.object({ channel: z.string() }) })).nullable().transform((c) => c ?? []),
});

const ContextRow = z.object({ ...ReleaseContextRow.shape, ...CarContextRow.shape });

export type TrackContext = z.infer<typeof ContextRow>;
export type TrackEntry = NonNullable<TrackContext["entry"]>;

// The car is named by SQL: a placeholder when the caller already holds it (support),
// or the code lookup's row when the owner's code is all there is (one round trip).
export type CarRef = { id: SQL; channel: SQL };

/** What every car of the release behind alias `c` reads alike. */
export const releaseContextFields = {
  release: sql`case when c.id is null then null else json_build_object(
    'version', c.version, 'notes', c.notes, 'notesLocalized', c.notes_localized, 'purpose', c.purpose,
    'installMinutes', c.install_minutes, 'unavailableDuring', c.unavailable_during, 'instructions', c.instructions, 'channel', c.channel, 'eligibility', c.eligibility, 'state', c.state,
    'queueSize', c.queue_size, 'offeredThrough', c.offered_through, 'clockStartedAt', c.clock_started_at,
    'offeredAtClockStart', c.offered_at_clock_start, 'pausedAt', c.paused_at,
    'noticeKind', c.notice_kind, 'noticeMessage', c.notice_message, 'noticeMessageLocalized', c.notice_message_localized, 'noticeAt', c.notice_at) end`,
  waves: sql`(select json_agg(json_build_object(
      'index', w.index, 'name', w.name, 'nameLocalized', w.name_localized, 'share', w.share, 'ratePerHour', w.rate_per_hour, 'startAt', w.start_at,
      'autoAdvance', w.auto_advance, 'stopAt', w.stop_at, 'state', w.state, 'openedAt', w.opened_at,
      'fullyOfferedAt', w.fully_offered_at, 'soakStartedAt', w.soak_started_at, 'fullyOfferedThrough', w.fully_offered_through)
    order by w.index) from waves w where w.release_id = c.id)`,
  releaseEvents: sql`(select json_agg(json_build_object('kind', e.kind, 'wave', e.wave_index, 'message', e.message, 'messageLocalized', e.message_localized, 'at', e.at) order by e.at)
    from release_events e where e.release_id = c.id)`,
  // Read for cars in the queue only (the timeline of a car without an entry has no re-plans).
  replans: sql`(select json_agg(json_build_object('at', a.at, 'before', a.before, 'after', a.after) order by a.at)
    from audit_log a where a.release_id = c.id and a.action = 'waves.replanned')`,
};

/** What is the car's own in the release with id `releaseId`. */
export const carContextFields = (car: CarRef, releaseId: SQL) => ({
  entry: sql`(select json_build_object('position', q.position, 'state', q.state, 'offeredAt', q.offered_at,
      'joinedAt', q.joined_at, 'updatedAt', q.updated_at)
    from queue_entries q where q.vehicle_id = ${car.id} and q.release_id = ${releaseId})`,
  events: sql`(select json_agg(json_build_object('state', e.state, 'at', e.at) order by e.at)
    from update_events e where e.vehicle_id = ${car.id} and e.release_id = ${releaseId})`,
  channelChanges: sql`(select json_agg(json_build_object('at', a.at, 'after', a.after) order by a.at)
    from audit_log a where a.vehicle_id = ${car.id} and a.action = 'vehicle.channel_changed')`,
});

// The newest release of the car's channel that is rolling out or paused; else the newest
// ended one the car was queued in (the second branch runs only when the first is empty).
export const releaseOf = (car: CarRef) => sql`left join lateral (
    (select * from releases where channel = ${car.channel} and state in ('rolling_out', 'paused')
     order by version_parts desc limit 1)
    union all
    (select r.* from queue_entries q join releases r on r.id = q.release_id
     where q.vehicle_id = ${car.id} and r.state in ('halted', 'completed')
     order by r.version_parts desc limit 1)
    limit 1) c on true`;

const givenCar: CarRef = { id: sql`${sql.placeholder("vehicle")}`, channel: sql`${sql.placeholder("channel")}::channel` };

const contextQuery = (db: DbOrTx) =>
  db
    .select({ ...releaseContextFields, ...carContextFields(givenCar, sql`c.id`) })
    .from(sql`(select 1) one ${releaseOf(givenCar)}`)
    .prepare("track_context");

/** The context columns of a row as the owner's page reads them. */
export const parseContext = (row: unknown): TrackContext => ContextRow.parse(row);

export type ReleaseContext = z.infer<typeof ReleaseContextRow>;
/** The release-wide columns, each as JSON text: cars of one release share them, so they are parsed once (services/track.ts). */
export const parseReleaseContext = (row: { release: string | null; waves: string | null; releaseEvents: string | null; replans: string | null }): ReleaseContext =>
  ReleaseContextRow.parse({
    release: row.release && (JSON.parse(row.release) as unknown),
    waves: row.waves && (JSON.parse(row.waves) as unknown),
    releaseEvents: row.releaseEvents && (JSON.parse(row.releaseEvents) as unknown),
    replans: row.replans && (JSON.parse(row.replans) as unknown),
  });
export type CarContext = z.infer<typeof CarContextRow>;
/** The car's own columns of a row. */
export const parseCarContext = (row: unknown): CarContext => CarContextRow.parse(row);

/** Everything about the release an owner sees, its waves, the car's entry and both timelines: one prepared query. */
export async function trackContext(db: Db, vehicle: { id: number; channel: string }): Promise<TrackContext> {
  const [row] = await prepared(db, "track_context", contextQuery).execute({ vehicle: vehicle.id, channel: vehicle.channel });
  return parseContext(row);
}

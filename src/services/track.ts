import { sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../db/client";
import { prepared } from "../db/prepared";
import type { Eligibility } from "../db/schema";
import { ineligibility, isUpToDate } from "../domain/eligibility";
import { etaRange } from "../domain/eta";
import { offerForecast, waveWindows } from "../domain/forecast";
import type { ClockRelease } from "../domain/rollout-clock";
import type { UpdateState } from "../domain/update-state";
import { maskVin } from "../domain/vin";
import { waveOfPosition, waveRanges } from "../domain/waves";
import { sha256Hex } from "../lib/secrets";

export type TrackedVehicle = { id: number; vin: string; model: string; hardware: string; region: string; channel: "stable" | "beta"; firmware: string; shared: boolean };

const codeLookup = (db: DbOrTx) =>
  db
    .select({
      id: sql<number>`t.id`,
      vin: sql<string>`t.vin`,
      model: sql<string>`t.model`,
      hardware: sql<string>`t.hardware`,
      region: sql<string>`t.region`,
      channel: sql<"stable" | "beta">`t.channel`,
      firmware: sql<string>`t.firmware`,
      shared: sql<boolean>`t.shared`,
    })
    .from(
      sql`(select id, vin, model, hardware, region, channel, firmware, false as shared
           from vehicles where owner_code_hash = ${sql.placeholder("hash")}
           union all
           select v.id, v.vin, v.model, v.hardware, v.region, v.channel, v.firmware, true
           from share_links s join vehicles v on v.id = s.vehicle_id
           where s.code_hash = ${sql.placeholder("hash")} and s.revoked_at is null
             and s.expires_at > ${sql.placeholder("now")}::timestamptz) as t`,
    )
    .limit(1)
    .prepare("vehicle_for_code");

/** The vehicle behind an owner code or a live share link: one prepared query on two hash indexes. */
export async function vehicleForCode(db: Db, code: string, now: Date): Promise<TrackedVehicle | null> {
  const hash = await sha256Hex(code);
  const [row] = await prepared(db, "vehicle_for_code", codeLookup).execute({ hash, now: now.toISOString() });
  return row ? { ...row, id: Number(row.id) } : null;
}

type Json = Record<string, unknown>;
type Context = {
  release: Json | null;
  waves: Json[] | null;
  entry: Json | null;
  events: { state: string; at: string }[] | null;
  release_events: { kind: string; wave: number | null; message: string | null; at: string }[] | null;
  channel_changes: { at: string; after: { channel: string } }[] | null;
};

const contextQuery = (db: DbOrTx) =>
  db
    .select({
      release: sql<Json | null>`row_to_json(c)`,
      waves: sql<Json[] | null>`(select json_agg(w order by w.index) from waves w where w.release_id = c.id)`,
      entry: sql<Json | null>`(select row_to_json(q) from queue_entries q where q.vehicle_id = ${sql.placeholder("vehicle")} and q.release_id = c.id)`,
      events: sql<Context["events"]>`(select json_agg(json_build_object('state', e.state, 'at', e.at) order by e.at)
        from update_events e where e.vehicle_id = ${sql.placeholder("vehicle")} and e.release_id = c.id)`,
      release_events: sql<Context["release_events"]>`(select json_agg(json_build_object('kind', e.kind, 'wave', e.wave_index, 'message', e.message, 'at', e.at) order by e.at)
        from release_events e where e.release_id = c.id)`,
      channel_changes: sql<Context["channel_changes"]>`(select json_agg(json_build_object('at', a.at, 'after', a.after) order by a.at)
        from audit_log a where a.vehicle_id = ${sql.placeholder("vehicle")} and a.action = 'vehicle.channel_changed')`,
    })
    .from(
      // The newest release of the car's channel that is rolling out or paused; else the newest
      // ended one the car was queued in (the second branch runs only when the first is empty).
      sql`(select 1) one left join lateral (
        (select * from releases where channel = ${sql.placeholder("channel")}::channel and state in ('rolling_out', 'paused')
         order by version_parts desc limit 1)
        union all
        (select r.* from queue_entries q join releases r on r.id = q.release_id
         where q.vehicle_id = ${sql.placeholder("vehicle")} and r.state in ('halted', 'completed')
         order by r.version_parts desc limit 1)
        limit 1) c on true`,
    )
    .prepare("track_context");

/** Everything about the release an owner sees, its waves, the car's entry and both timelines: one prepared query. */
async function releaseContext(db: Db, vehicle: TrackedVehicle): Promise<Context | undefined> {
  const [row] = await prepared(db, "track_context", contextQuery).execute({ vehicle: vehicle.id, channel: vehicle.channel });
  return row;
}

const date = (v: unknown) => (v ? new Date(v as string) : null);

function clockFrom(release: Json, waves: Json[]): ClockRelease {
  return {
    state: release.state as ClockRelease["state"],
    queueSize: release.queue_size as number,
    offeredThrough: release.offered_through as number,
    clockStartedAt: date(release.clock_started_at),
    offeredAtClockStart: release.offered_at_clock_start as number,
    pausedAt: date(release.paused_at),
    waves: waves.map((w) => ({
      index: w.index as number,
      name: w.name as string,
      share: w.share as number,
      ratePerHour: (w.rate_per_hour as number | null) ?? null,
      startAt: date(w.start_at),
      autoAdvance: (w.auto_advance as ClockRelease["waves"][number]["autoAdvance"]) ?? null,
      stopAt: (w.stop_at as ClockRelease["waves"][number]["stopAt"]) ?? null,
      state: w.state as "pending" | "active" | "done",
      openedAt: date(w.opened_at),
      fullyOfferedAt: date(w.fully_offered_at),
      soakStartedAt: date(w.soak_started_at),
      fullyOfferedThrough: (w.fully_offered_through as number | null) ?? null,
    })),
  };
}

/** The owner's status in the SPEC's fixed shape. */
export async function trackVehicle(db: Db, vehicle: TrackedVehicle, now: Date, beatMs: number) {
  const context = await releaseContext(db, vehicle);
  const base = { vehicle: { vin: maskVin(vehicle.vin), model: vehicle.model, firmware: vehicle.firmware, channel: vehicle.channel } };
  const release = context?.release;
  if (!release) return { ...base, release: null, state: "up_to_date" as const, queue: null, eta: null, notice: null, timeline: [] };

  const publicRelease = { version: release.version as string, notes: release.notes as string };
  const notice = release.notice_kind
    ? { kind: release.notice_kind as "paused" | "halted", message: (release.notice_message as string) ?? "", at: release.notice_at as string }
    : null;
  const entry = context.entry;
  const channelEvents = (context.channel_changes ?? []).map((c) => ({ state: "channel_changed", at: c.at, channel: c.after.channel }));
  if (!entry) {
    const excluded = ineligibility(vehicle, { version: release.version as string, channel: release.channel as string, eligibility: release.eligibility as Eligibility });
    if (isUpToDate(vehicle.firmware, release.version as string) || !excluded) {
      return { ...base, release: publicRelease, state: "up_to_date" as const, queue: null, eta: null, notice: null, timeline: channelEvents };
    }
    const { reason, code: reasonCode } = excluded;
    return { ...base, release: publicRelease, state: "not_eligible" as const, reason, reasonCode, queue: null, eta: null, notice: null, timeline: channelEvents };
  }

  const state = entry.state as UpdateState;
  if (state === "skipped") {
    return { ...base, release: publicRelease, state: "up_to_date" as const, queue: null, eta: null, notice: null, timeline: channelEvents };
  }
  const clock = clockFrom(release, context.waves ?? []);
  const position = entry.position as number;
  const ranges = waveRanges(clock.waves.map((w) => w.share), clock.queueSize);
  const waveIndex = waveOfPosition(ranges, position);
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
      wave: wave ? { index: wave.index, name: wave.name, state: wave.state } : null,
    },
    eta: forecast ? etaRange(forecast, now, beatMs) : null,
    notice,
    timeline: timeline(context, entry, wave?.index ?? null, channelEvents),
  };
}

/** The car's own steps merged with the release events that touched it. */
function timeline(context: Context, entry: Json, waveIndex: number | null, channelEvents: { state: string; at: string }[]) {
  // A car's line starts when it joined this queue: the start for most, later for late joiners
  // (entries from before joined_at existed fall back to the release's start).
  const started = context.release_events?.find((e) => e.kind === "started")?.at;
  const joined = (entry.joined_at as string | null) ?? started ?? (entry.updated_at as string);
  const steps: { state: string; at: string; message?: string; wave?: number }[] = [{ state: "queued", at: joined }];
  for (const e of context.release_events ?? []) {
    if (e.kind === "started" || Date.parse(e.at) < Date.parse(joined)) continue;
    else if (e.kind === "wave_opened" && e.wave === waveIndex) steps.push({ state: "wave_opened", at: e.at, wave: e.wave ?? undefined });
    else if (["paused", "resumed", "halted", "completed"].includes(e.kind)) steps.push({ state: e.kind, at: e.at, ...(e.message ? { message: e.message } : {}) });
  }
  if (entry.offered_at) steps.push({ state: "offered", at: entry.offered_at as string });
  for (const e of context.events ?? []) steps.push({ state: e.state, at: e.at });
  steps.push(...channelEvents);
  return steps
    .map((s) => ({ ...s, at: new Date(s.at).toISOString() }))
    .sort((a, b) => a.at.localeCompare(b.at));
}

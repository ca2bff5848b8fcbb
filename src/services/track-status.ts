import type { ReleasePurpose } from "../db/schema";
import { ineligibility, isUpToDate } from "../domain/eligibility";
import { etaRange } from "../domain/eta";
import { type WaveWindow, offerForecast, waveWindows } from "../domain/forecast";
import type { LocalizedList, LocalizedText } from "../domain/localized-text";
import type { ClockRelease } from "../domain/rollout-clock";
import { maskVin } from "../domain/vin";
import { type WaveRange, waveOfPosition, waveRanges } from "../domain/waves";
import { clockOf } from "./release-model";
import type { CarContext, ReleaseContext, TrackEntry } from "./track-context";
import { type ReleaseReplans, releaseReplans, replanSteps } from "./track-replans";

// The owner's status in the SPEC's fixed shape, in two parts: what every car of
// a release reads alike at one moment (the release as owners see it, its clock,
// wave ranges and windows, the release's timeline steps, its re-plans ready to
// replay), derived once per release and batch (releaseView), and what is the
// car's own (carStatus). Derived per car, the release's part was most of an
// uncached read's CPU in this process.

export type TrackedVehicle = { id: number; vin: string; model: string; hardware: string; region: string; channel: "stable" | "beta"; firmware: string; shared: boolean };

type Release = NonNullable<ReleaseContext["release"]>;
type Step = { state: string; at: string; message?: LocalizedText; wave?: number };
/** A release event on owners' timelines, its time parsed once. */
type ReleaseStep = { ms: number; kind: string; wave: number | null; step: Step };

/** What every car of the release reads alike at `now`. */
export type ReleaseView = {
  release: Release;
  owners: ReturnType<typeof ownerRelease>;
  notice: { kind: "paused" | "halted"; message: LocalizedText; at: string } | null;
  clock: ClockRelease;
  ranges: WaveRange[];
  windows: WaveWindow[];
  /** Each wave's localized name, if it has one, by wave index. */
  waveNames: Map<number, LocalizedText | null>;
  /** When the release started: the start of the line for cars queued before joined_at existed. */
  started: string | undefined;
  steps: ReleaseStep[];
  replans: ReleaseReplans;
};

// A release's context as parsed from one version of its text is shared by the
// batches that read that version (track-batch.ts): what does not depend on the
// moment is derived once per such context, the wave windows once per batch.
const timeless = new WeakMap<ReleaseContext, Omit<ReleaseView, "windows">>();

/** The release's part of every owner's status at `now`; null without a release. */
export function releaseView(context: ReleaseContext, now: Date): ReleaseView | null {
  const release = context.release;
  if (!release) return null;
  let part = timeless.get(context);
  if (!part) timeless.set(context, (part = timelessPart(context, release)));
  return { ...part, windows: waveWindows(part.clock, now) };
}

function timelessPart(context: ReleaseContext, release: Release): Omit<ReleaseView, "windows"> {
  const clock = clockOf(release, context.waves);
  const waveNames = new Map<number, LocalizedText | null>();
  for (const w of context.waves) if (!waveNames.has(w.index)) waveNames.set(w.index, w.nameLocalized);
  return {
    release,
    owners: ownerRelease(release),
    // Localized fields leave here as written; the handler picks the reader's language (localizeStatus).
    notice:
      release.noticeKind && release.noticeAt
        ? { kind: release.noticeKind, message: release.noticeMessageLocalized ?? release.noticeMessage ?? "", at: release.noticeAt }
        : null,
    clock,
    ranges: waveRanges(
      clock.waves.map((w) => w.share),
      clock.queueSize,
    ),
    waveNames,
    started: context.releaseEvents.find((e) => e.kind === "started")?.at,
    steps: context.releaseEvents.flatMap((e): ReleaseStep[] => {
      const at = new Date(e.at).toISOString();
      const common = { ms: Date.parse(e.at), kind: e.kind, wave: e.wave };
      if (e.kind === "wave_opened") return [{ ...common, step: { state: "wave_opened", at, wave: e.wave ?? undefined } }];
      if (["paused", "resumed", "halted", "completed"].includes(e.kind)) {
        return [{ ...common, step: { state: e.kind, at, ...(e.message ? { message: e.messageLocalized ?? e.message } : {}) } }];
      }
      return [];
    }),
    replans: releaseReplans(context.replans, clock.queueSize),
  };
}

/** The owner's status in the SPEC's fixed shape, from the release's part (null: no release) and the car's own. */
export function carStatus(vehicle: TrackedVehicle, view: ReleaseView | null, car: CarContext, now: Date, beatMs: number) {
  // `access` lets the page leave out what only the owner may do (a share link cannot change the channel).
  const base = { vehicle: { vin: maskVin(vehicle.vin), model: vehicle.model, firmware: vehicle.firmware, channel: vehicle.channel }, access: vehicle.shared ? ("share" as const) : ("owner" as const) };
  if (!view) return { ...base, release: null, state: "up_to_date" as const, queue: null, eta: null, notice: null, timeline: [] };

  const { release, owners: publicRelease, clock } = view;
  const entry = car.entry;
  const channelEvents = car.channelChanges.map((c) => ({ state: "channel_changed", at: c.at, channel: c.after.channel }));
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
  const waveIndex = waveOfPosition(view.ranges, position);
  const wave = waveIndex === null ? undefined : clock.waves[waveIndex - 1];
  const forecast = state === "queued" ? offerForecast(clock, view.windows, position, now) : null;
  return {
    ...base,
    release: publicRelease,
    state,
    queue: {
      position,
      total: clock.queueSize,
      ahead: Math.max(0, position - 1 - clock.offeredThrough),
      offered: Math.min(clock.queueSize, clock.offeredThrough),
      wave: wave ? { index: wave.index, name: view.waveNames.get(wave.index) ?? wave.name, state: wave.state } : null,
    },
    eta: forecast ? etaRange(forecast, now, beatMs) : null,
    notice: view.notice,
    timeline: timeline(view, car, entry, wave?.index ?? null, [...channelEvents, ...replanSteps(view.replans, position, entry.joinedAt ?? new Date(0).toISOString())]),
  };
}

/** What owners read about the release: the UN R156 fields only where the release has them (the fixed shape stays). */
function ownerRelease(release: Release) {
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

const byTime = (a: { at: string }, b: { at: string }) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0);

/** The car's own steps merged with the release events that touched it. */
function timeline(view: ReleaseView, car: CarContext, entry: TrackEntry, waveIndex: number | null, carEvents: { state: string; at: string }[]) {
  // A car's line starts when it joined this queue: the start for most, later for late joiners
  // (entries from before joined_at existed fall back to the release's start).
  const joined = entry.joinedAt ?? view.started ?? entry.updatedAt;
  const joinedMs = Date.parse(joined);
  const iso = (at: string) => new Date(at).toISOString();
  const steps: Step[] = [{ state: "queued", at: iso(joined) }];
  for (const e of view.steps) {
    if (e.ms < joinedMs) continue;
    if (e.kind !== "wave_opened" || e.wave === waveIndex) steps.push(e.step);
  }
  if (entry.offeredAt) steps.push({ state: "offered", at: iso(entry.offeredAt) });
  for (const e of car.events) steps.push({ state: e.state, at: iso(e.at) });
  for (const e of carEvents) steps.push({ ...e, at: iso(e.at) });
  // ISO instants of one format: their order is the order of the strings.
  return steps.sort(byTime);
}

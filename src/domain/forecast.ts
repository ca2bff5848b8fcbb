import type { ClockRelease } from "./rollout-clock";
import { withRanges } from "./waves";

// When each wave will offer its vehicles, projected from the plan and the
// clock. A time that depends on a person (a manual advance) or on a paused
// rollout is unknown (null), never invented.

/**
 * `slackMs` is how much later than `start` the wave may really open: zero
 * when the schedule fixes it (an open wave, a start time), and growing with
 * every soak + success rule before it, since outcomes may hold a rule past
 * its soak time.
 */
export type WaveWindow = { index: number; from: number; to: number; start: Date | null; end: Date | null; slackMs: number };

/** A projected offer time and how much later the rules before it may push it. */
export type OfferForecast = { at: Date; slackMs: number };

const hourMs = 3_600_000;
const minuteMs = 60_000;
/** A soak is a minimum: the success rule needs outcomes, which may take up to a quarter of it longer. */
const ruleSlackShare = 0.25;

function offeringEnd(start: Date, count: number, ratePerHour: number | null): Date {
  return ratePerHour === null || count <= 0 ? start : new Date(start.getTime() + (count / ratePerHour) * hourMs);
}

export function waveWindows(release: ClockRelease, now: Date): WaveWindow[] {
  const known = release.state === "rolling_out";
  let previousEnd: Date | null = known ? now : null;
  let previousSoakFrom: Date | null = previousEnd;
  let previousSoak = 0;
  let previousAuto = true;
  let slackMs = 0;
  return withRanges(release.waves, release.queueSize).map((wave, i) => {
    let start: Date | null;
    if (wave.state === "done") start = wave.openedAt;
    else if (wave.state === "active") start = known ? wave.openedAt : null;
    else if (!known || previousEnd === null || previousSoakFrom === null) start = null;
    else if (wave.startAt) {
      start = new Date(Math.max(wave.startAt.getTime(), previousEnd.getTime(), now.getTime()));
      // A start time absorbs the uncertainty before it, as far as it lies later.
      slackMs = Math.max(0, previousEnd.getTime() + slackMs - start.getTime());
    } else if (i === 0 || previousAuto) {
      // The rule can open the wave no earlier than the soak's end, and never in the past.
      const soakEnd = previousSoakFrom.getTime() + previousSoak * minuteMs;
      start = new Date(Math.max(soakEnd, previousEnd.getTime(), now.getTime()));
      slackMs += previousSoak * minuteMs * ruleSlackShare;
    } else start = null;

    let end: Date | null;
    if (wave.state === "done") end = wave.fullyOfferedAt ?? wave.openedAt;
    else if (start === null) end = null;
    else if (wave.state === "active") end = wave.fullyOfferedAt ?? activeOfferTime(release, wave.ratePerHour, wave.to, now);
    else end = offeringEnd(start, wave.size, wave.ratePerHour);

    if (wave.state !== "done") {
      previousEnd = end;
      previousSoakFrom = wave.state === "active" ? (wave.soakStartedAt ?? end) : end;
      previousSoak = wave.autoAdvance?.soakMinutes ?? 0;
      previousAuto = wave.autoAdvance !== null;
    }
    return { index: wave.index, from: wave.from, to: wave.to, start, end, slackMs: wave.state === "pending" ? slackMs : 0 };
  });
}

/** When the active wave's clock reaches `position`: it offers ratePerHour from clockStartedAt on. */
function activeOfferTime(release: ClockRelease, ratePerHour: number | null, position: number, now: Date): Date {
  if (ratePerHour === null || !release.clockStartedAt) return now;
  const due = release.clockStartedAt.getTime() + ((position - release.offeredAtClockStart) / ratePerHour) * hourMs;
  return new Date(Math.max(due, now.getTime()));
}

/** When the vehicle at `position` is projected to be offered, with the rules' slack; null when unknown or never. */
export function offerForecast(release: ClockRelease, windows: WaveWindow[], position: number, now: Date): OfferForecast | null {
  if (position <= release.offeredThrough) return null;
  const window = windows.find((w) => position >= w.from && position <= w.to);
  if (!window || window.start === null) return null;
  const wave = release.waves[window.index - 1];
  if (!wave) return null;
  if (wave.state === "active") return { at: activeOfferTime(release, wave.ratePerHour, position, now), slackMs: 0 };
  if (wave.ratePerHour === null) return { at: window.start, slackMs: window.slackMs };
  const at = new Date(window.start.getTime() + ((position - window.from + 1) / wave.ratePerHour) * hourMs);
  return { at, slackMs: window.slackMs };
}

/** When the vehicle at `position` is projected to be offered, or null when unknown or never. */
export function projectedOfferTime(release: ClockRelease, windows: WaveWindow[], position: number, now: Date): Date | null {
  return offerForecast(release, windows, position, now)?.at ?? null;
}

/** Completion of offering for the whole plan: the last wave's end, or null when unknown. */
export function projectedCompletion(windows: WaveWindow[]): Date | null {
  return windows.at(-1)?.end ?? null;
}

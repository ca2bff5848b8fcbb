import type { ClockRelease, ClockWave } from "./rollout-clock";
import { cutPoint } from "./waves";

// The clock's timers as pure functions: the rate clock (offers per hour from a
// baseline) and the soak timer count rolling time only. Pausing stops both,
// resuming continues them, and a rate change counts from when it is applied.

const hourMs = 3_600_000;

/** How far the active wave's clock allows offering at `now`. */
export function offerTarget(release: ClockRelease, wave: ClockWave, now: Date): number {
  const cut = cutPoint(wave.share, release.queueSize);
  if (wave.ratePerHour === null || !release.clockStartedAt) return cut;
  const elapsed = Math.max(0, now.getTime() - release.clockStartedAt.getTime());
  const allowed = release.offeredAtClockStart + Math.floor((wave.ratePerHour * elapsed) / hourMs);
  return Math.min(cut, allowed);
}

/**
 * Re-bases the rate clock at `now`: the offers already due stay due, and from
 * here the (possibly new) rate counts. Used when a re-plan changes the active
 * wave's rate, so a change never stalls and never bursts.
 */
export function rebaseRate(release: ClockRelease, now: Date): ClockRelease {
  const active = release.waves.find((w) => w.state === "active");
  const due = active && release.state === "rolling_out" ? offerTarget(release, active, now) : 0;
  return { ...release, clockStartedAt: now, offeredAtClockStart: Math.max(release.offeredThrough, due) };
}

/** Pausing stops the clock: rate and soak timers stand still from `now`. */
export function pauseClock(release: ClockRelease, now: Date): ClockRelease {
  return { ...release, state: "paused", pausedAt: release.pausedAt ?? now };
}

/** Resuming continues the timers where they stood: the paused time counts for neither. */
export function resumeClock(release: ClockRelease, now: Date): ClockRelease {
  const paused = release.pausedAt ? Math.max(0, now.getTime() - release.pausedAt.getTime()) : 0;
  const waves = release.waves.map((w) =>
    w.state === "active" && w.soakStartedAt ? { ...w, soakStartedAt: new Date(w.soakStartedAt.getTime() + paused) } : w,
  );
  // The rate clock stood still, so it restarts at the frontier (nothing is owed for paused time).
  return { ...release, state: "rolling_out", pausedAt: null, clockStartedAt: now, offeredAtClockStart: release.offeredThrough, waves };
}

import { rebaseRate } from "./clock-timers";
import type { ClockRelease, ClockWave } from "./rollout-clock";
import { projectedOfferTime, waveWindows } from "./forecast";
import { cutPoint, waveOfPosition, waveRanges } from "./waves";

export type PlannedWave = Omit<ClockWave, "index" | "state" | "openedAt" | "fullyOfferedAt" | "soakStartedAt" | "fullyOfferedThrough">;

/** The wave that offering has reached: the active one, else the last one opened. */
export function currentWaveIndex(waves: readonly ClockWave[]): number {
  const active = waves.find((w) => w.state === "active");
  if (active) return active.index;
  return waves.filter((w) => w.state === "done").at(-1)?.index ?? 0;
}

/**
 * Why a new plan would take back an update already offered, or null when it
 * is safe: every done wave keeps its place and cut point, and the wave
 * offering has reached must still exist and still reach every position
 * offered so far.
 */
export function replanConflict(release: ClockRelease, plan: readonly PlannedWave[]): string | null {
  // A done wave is history: its vehicles were offered as that wave, so
  // dropping it or moving its cut point would relabel them.
  for (const done of release.waves.filter((w) => w.state === "done")) {
    const planned = plan[done.index - 1];
    if (!planned || cutPoint(planned.share, release.queueSize) !== cutPoint(done.share, release.queueSize)) {
      return `Wave ${done.index} is done: it must stay in the plan as wave ${done.index} with its share of ${done.share}%, since its vehicles were offered as that wave.`;
    }
  }
  const current = currentWaveIndex(release.waves);
  if (current === 0) return null;
  const planned = plan[current - 1];
  if (!planned) return `Wave ${current} is already open; a plan with ${plan.length} wave(s) would take it back.`;
  const reach = cutPoint(planned.share, release.queueSize);
  if (reach < release.offeredThrough) {
    return (
      `Wave ${current} would reach position ${reach}, but positions up to ${release.offeredThrough} ` +
      "have been offered already; an offered update is never taken back."
    );
  }
  return null;
}

/**
 * The new plan as clock waves at `now`: waves already opened keep their state
 * and times. A new rate for the active wave counts from `now` (the offers due
 * so far stay due), so a re-plan never stalls offering and never bursts.
 */
export function applyPlan(release: ClockRelease, plan: readonly PlannedWave[], now: Date): ClockRelease {
  const waves = plan.map((wave, i): ClockWave => {
    const previous = release.waves[i];
    const opened = previous && previous.state !== "pending";
    const kept = opened && previous.fullyOfferedAt !== null;
    return {
      ...wave,
      index: i + 1,
      state: opened ? previous.state : "pending",
      openedAt: opened ? previous.openedAt : null,
      fullyOfferedAt: kept ? previous.fullyOfferedAt : null,
      soakStartedAt: kept ? previous.soakStartedAt : null,
      fullyOfferedThrough: kept ? previous.fullyOfferedThrough : null,
    };
  });
  // A wider active wave has more to offer again.
  const current = currentWaveIndex(waves);
  const active = release.waves.find((w) => w.state === "active");
  const reopened = waves[current - 1];
  if (reopened && cutPoint(reopened.share, release.queueSize) > release.offeredThrough) {
    waves[current - 1] = { ...reopened, fullyOfferedAt: null, soakStartedAt: null, fullyOfferedThrough: null };
  }
  const rateChanged = active !== undefined && waves[active.index - 1]?.ratePerHour !== active.ratePerHour;
  return { ...(rateChanged ? rebaseRate(release, now) : release), waves };
}

export type ReplanImpact = {
  vehiclesChangingWave: number;
  moves: { fromWave: number | null; toWave: number | null; count: number }[];
  etaShift: { minMinutes: number; maxMinutes: number } | null;
};

/**
 * What a re-plan changes for the vehicles not yet offered, from range
 * arithmetic alone (no rows are read): who changes wave, and how far the
 * projected offer times move (at segment boundaries, where shifts are extreme).
 */
export function replanImpact(before: ClockRelease, after: ClockRelease, now: Date): ReplanImpact {
  const oldRanges = waveRanges(before.waves.map((w) => w.share), before.queueSize);
  const newRanges = waveRanges(after.waves.map((w) => w.share), after.queueSize);
  const bounds = new Set([before.offeredThrough, before.queueSize]);
  for (const r of [...oldRanges, ...newRanges]) {
    bounds.add(Math.max(before.offeredThrough, Math.min(r.to, before.queueSize)));
    bounds.add(Math.max(before.offeredThrough, r.from - 1));
  }
  const points = [...bounds].sort((a, b) => a - b);
  const oldWindows = waveWindows(before, now);
  const newWindows = waveWindows(after, now);
  const moves = new Map<string, { fromWave: number | null; toWave: number | null; count: number }>();
  let minShift = Infinity;
  let maxShift = -Infinity;
  for (const [previous, to] of points.slice(1).map((p, i) => [points[i] ?? p, p] as const)) {
    const from = previous + 1;
    if (to < from) continue;
    const [a, b] = [waveOfPosition(oldRanges, from), waveOfPosition(newRanges, from)];
    if (a !== b) {
      const key = `${a}->${b}`;
      const move = moves.get(key) ?? { fromWave: a, toWave: b, count: 0 };
      move.count += to - from + 1;
      moves.set(key, move);
    }
    for (const p of [from, to]) {
      const t0 = projectedOfferTime(before, oldWindows, p, now);
      const t1 = projectedOfferTime(after, newWindows, p, now);
      if (t0 && t1) {
        const shift = (t1.getTime() - t0.getTime()) / 60_000;
        minShift = Math.min(minShift, shift);
        maxShift = Math.max(maxShift, shift);
      }
    }
  }
  const list = [...moves.values()];
  return {
    vehiclesChangingWave: list.reduce((n, m) => n + m.count, 0),
    moves: list,
    etaShift: minShift === Infinity ? null : { minMinutes: Math.round(minShift), maxMinutes: Math.round(maxShift) },
  };
}

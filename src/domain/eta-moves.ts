import { projectedOfferTime, waveWindows } from "./forecast";
import type { ClockRelease } from "./rollout-clock";

/** Owners are told when their expected offer moves by more than this (SPEC: Notifications). */
export const etaMoveThresholdMs = 2 * 3_600_000;

/**
 * Of `positions`, those whose projected offer time moves by more than the
 * threshold between two states of the clock (a re-plan). A time that becomes
 * unknown or known is not a move: the pause or resume that caused it is an
 * event of its own.
 */
export function movedEtas(before: ClockRelease, after: ClockRelease, positions: readonly number[], now: Date): number[] {
  const windowsBefore = waveWindows(before, now);
  const windowsAfter = waveWindows(after, now);
  return positions.filter((position) => {
    const was = projectedOfferTime(before, windowsBefore, position, now);
    const is = projectedOfferTime(after, windowsAfter, position, now);
    return was !== null && is !== null && Math.abs(is.getTime() - was.getTime()) > etaMoveThresholdMs;
  });
}

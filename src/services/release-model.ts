import type { releases, waves } from "../db/schema";
import type { ClockRelease } from "../domain/rollout-clock";

/** The stored columns the rollout clock decides on; typed from the drizzle schema. */
export type ReleaseClockRow = Pick<
  typeof releases.$inferSelect,
  "state" | "queueSize" | "offeredThrough" | "clockStartedAt" | "offeredAtClockStart" | "pausedAt"
>;
export type WaveClockRow = Pick<
  typeof waves.$inferSelect,
  | "index" | "name" | "share" | "ratePerHour" | "startAt" | "autoAdvance" | "stopAt"
  | "state" | "openedAt" | "fullyOfferedAt" | "soakStartedAt" | "fullyOfferedThrough"
>;

/**
 * The one mapping from a stored release and its waves (in index order) to the
 * model the pure clock, forecast and ETA decide on; every reader goes through it.
 */
export function clockOf(release: ReleaseClockRow, plan: readonly WaveClockRow[]): ClockRelease {
  return {
    state: release.state,
    queueSize: release.queueSize,
    offeredThrough: release.offeredThrough,
    clockStartedAt: release.clockStartedAt,
    offeredAtClockStart: release.offeredAtClockStart,
    pausedAt: release.pausedAt,
    waves: plan.map((w) => ({
      index: w.index,
      name: w.name,
      share: w.share,
      ratePerHour: w.ratePerHour,
      startAt: w.startAt,
      autoAdvance: w.autoAdvance,
      stopAt: w.stopAt,
      state: w.state,
      openedAt: w.openedAt,
      fullyOfferedAt: w.fullyOfferedAt,
      soakStartedAt: w.soakStartedAt,
      fullyOfferedThrough: w.fullyOfferedThrough,
    })),
  };
}

import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { installCounts, supportCases } from "../db/schema";
import { projectedCompletion, waveWindows } from "../domain/forecast";
import { failureRate } from "../domain/rollout-clock";
import { waveRanges } from "../domain/waves";
import { countsByWave } from "./queue-counts";
import { getRelease } from "./releases";

/** Per-wave progress of a release; every query is bounded by waves and hours, not by vehicles. */
export async function releaseProgress(db: Db, version: string, now: Date) {
  const release = await getRelease(db, version);
  const ranges = waveRanges(release.waves.map((w) => w.share), release.queueSize);
  const [counts, cases, installs] = await Promise.all([
    countsByWave(db, release.id, ranges),
    db
      .select({ wave: supportCases.waveIndex, n: sql<number>`count(*)::int` })
      .from(supportCases)
      .where(eq(supportCases.releaseId, release.id))
      .groupBy(supportCases.waveIndex),
    db
      .select({ at: installCounts.hour, count: installCounts.count })
      .from(installCounts)
      .where(eq(installCounts.releaseId, release.id))
      .orderBy(asc(installCounts.hour)),
  ]);
  const windows = waveWindows(release.clock, now);
  return {
    version: release.version,
    state: release.state,
    total: release.queueSize,
    waves: release.waves.map((wave, i) => {
      const range = ranges[i]!;
      const waveCounts = counts[i]!;
      return {
        index: wave.index,
        name: wave.name,
        share: wave.share,
        from: range.from,
        to: range.to,
        size: range.size,
        state: wave.state,
        offered: Math.min(range.size, Math.max(0, release.offeredThrough - range.from + 1)),
        counts: waveCounts,
        failureRate: failureRate(waveCounts) ?? 0,
        maxFailureRate: wave.stopAt ? wave.stopAt.maxFailurePercent / 100 : null,
        cases: cases.find((c) => c.wave === wave.index)?.n ?? 0,
      };
    }),
    installsOverTime: installs.filter((i) => i.count > 0),
    forecast: {
      completion: projectedCompletion(windows),
      waves: windows.map((w) => ({ index: w.index, start: w.start, end: w.end })),
    },
  };
}

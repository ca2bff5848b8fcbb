import { asc, eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../db/client";
import { prepared } from "../db/prepared";
import { installCounts, supportCases } from "../db/schema";
import { projectedCompletion, waveWindows } from "../domain/forecast";
import { failureRate } from "../domain/rollout-clock";
import { casesPerThousand } from "../domain/case-rule";
import { waveRanges } from "../domain/waves";
import { type AnswerCache, answerCache } from "../lib/answer-cache";
import type { Clock } from "../lib/clock";
import { countsByWave } from "./queue-counts";
import { getRelease } from "./releases";

// The console polls progress: both reads are prepared once per database.
const casesQuery = (db: DbOrTx) =>
  db
    .select({ wave: supportCases.waveIndex, n: sql<number>`count(*)::int` })
    .from(supportCases)
    .where(eq(supportCases.releaseId, sql.placeholder("release")))
    .groupBy(supportCases.waveIndex)
    .prepare("progress_cases");
const installsQuery = (db: DbOrTx) =>
  db
    .select({ at: installCounts.hour, count: sql<number>`sum(${installCounts.count})::int` })
    .from(installCounts)
    .where(eq(installCounts.releaseId, sql.placeholder("release")))
    .groupBy(installCounts.hour)
    .orderBy(asc(installCounts.hour))
    .prepare("progress_installs");

/** Per-wave progress of a release; every query is bounded by waves and hours, not by vehicles. */
export async function releaseProgress(db: Db, version: string, now: Date) {
  const release = await getRelease(db, version);
  const ranges = waveRanges(release.waves.map((w) => w.share), release.queueSize);
  const [counts, cases, installs] = await Promise.all([
    countsByWave(db, release.id, ranges),
    prepared(db, "progress_cases", casesQuery).execute({ release: release.id }),
    prepared(db, "progress_installs", installsQuery).execute({ release: release.id }),
  ]);
  const windows = waveWindows(release.clock, now);
  const offeredOf = (range: { from: number; size: number }) => Math.min(range.size, Math.max(0, release.offeredThrough - range.from + 1));
  const casesOf = (wave: number) => cases.find((c) => c.wave === wave)?.n ?? 0;
  return {
    version: release.version,
    state: release.state,
    total: release.queueSize,
    waves: release.waves.map((wave, i) => {
      const range = ranges[i];
      const waveCounts = counts[i];
      if (!range || !waveCounts) throw new Error(`wave ${wave.index} has no range or counts`);
      return {
        index: wave.index,
        name: wave.name,
        share: wave.share,
        from: range.from,
        to: range.to,
        size: range.size,
        state: wave.state,
        offered: offeredOf(range),
        counts: waveCounts,
        failureRate: failureRate(waveCounts) ?? 0,
        maxFailureRate: wave.stopAt ? wave.stopAt.maxFailurePercent / 100 : null,
        cases: casesOf(wave.index),
        casesPerThousand: casesPerThousand(casesOf(wave.index), offeredOf(range)),
        maxCasesPerThousand: wave.stopAt?.maxCasesPerThousand ?? null,
      };
    }),
    installsOverTime: installs.filter((i) => i.count > 0),
    forecast: {
      completion: projectedCompletion(windows),
      waves: windows.map((w) => ({ index: w.index, start: w.start, end: w.end })),
    },
  };
}

export type Progress = Awaited<ReturnType<typeof releaseProgress>>;
export type ProgressAnswers = AnswerCache<Progress>;

/**
 * Dashboards poll progress, on release day many at once, while reports keep
 * changing the counts: answers are reused for at most `maxAgeMs` (1 s, the
 * owner answers' bound) counted from when their read started, one read per
 * release at a time. This instance's own rollout actions forget the release's
 * answer, so a console sees what it just did; reports do not (they arrive all
 * the time, and a second-old count is what a live chart shows anyway).
 */
export function progressAnswerCache({ clock, maxAgeMs = 1000 }: { clock: Clock; maxAgeMs?: number }): ProgressAnswers {
  // A few dozen releases are ever watched at once; each answer is a few KB.
  return answerCache<Progress>({ clock, maxAgeMs, maxEntries: 100 });
}

/** A release's progress, from the cache while it is fresh. */
export function cachedProgress(answers: ProgressAnswers, db: Db, version: string) {
  return answers.get(version, (now) => releaseProgress(db, version, now));
}

import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { releases, waves } from "../db/schema";
import { conflict } from "../domain/errors";
import { type LocalizedText, englishOf } from "../domain/localized-text";
import { requireAllowed, requireCurrentEtag } from "../domain/release-state";
import { type PlannedWave, applyPlan, replanConflict, replanImpact } from "../domain/wave-plan";
import { withRanges } from "../domain/waves";
import { recordAudit } from "./audit-write";
import { lockRelease, releaseEtag } from "./releases";
import { enqueueEtaMoves } from "./push-outbox";
import { tickAndRead } from "./rollout";

/** A wave as the API takes it: its name as written (maybe localized), limits optional, times as ISO strings. */
export type RequestedWave = {
  name: LocalizedText;
  share: number;
  ratePerHour?: number | null;
  startAt?: string | null;
  autoAdvance?: PlannedWave["autoAdvance"];
  stopAt?: PlannedWave["stopAt"];
};

/** The clock plans in English with explicit nulls; the localized names are stored beside it. */
const planOf = (waves: readonly RequestedWave[]): PlannedWave[] =>
  waves.map((w) => ({
    name: englishOf(w.name),
    share: w.share,
    ratePerHour: w.ratePerHour ?? null,
    startAt: w.startAt ? new Date(w.startAt) : null,
    autoAdvance: w.autoAdvance ?? null,
    stopAt: w.stopAt ?? null,
  }));

type Replan = { db: Db; version: string; waves: readonly RequestedWave[]; ifMatch: string | undefined; dryRun: boolean; actor: string; now: Date };

/**
 * Replaces the wave plan under optimistic concurrency (If-Match). Only the
 * few wave rows change: the queue keeps its positions, waves are cut points.
 */
export function replaceWavePlan({ db, version, waves: requested, ifMatch, dryRun, actor, now }: Replan) {
  const plan = planOf(requested);
  const names = requested.map((w) => w.name);
  return db.transaction(async (tx) => {
    const release = await lockRelease(tx, version);
    requireCurrentEtag({ dryRun, ifMatch }, releaseEtag(release));
    requireAllowed(release, "replan");
    const before = release.clock;
    const refusal = replanConflict(before, plan);
    if (refusal) throw conflict(refusal);
    const after = applyPlan(before, plan, now);
    const impact = replanImpact(before, after, now);
    if (dryRun) return { dryRun: true as const, impact, waves: withRanges(plan, release.queueSize).map((w, i) => ({ index: i + 1, name: w.name, share: w.share, from: w.from, to: w.to, size: w.size })) };

    await tx.delete(waves).where(eq(waves.releaseId, release.id));
    await tx.insert(waves).values(
      // A clock wave is a wave row's own columns (clockOf reads them back one to one).
      after.waves.map((w) => ({
        ...w,
        releaseId: release.id,
        nameLocalized: names[w.index - 1] ?? w.name,
        doneAt: release.waves[w.index - 1]?.doneAt ?? null,
      })),
    );
    // Owners who asked are told when their expected offer moved by more than two hours.
    await enqueueEtaMoves(tx, { releaseId: release.id, version: release.version, before, after, now });
    // A new rate for the active wave counts from now (applyPlan re-based the clock).
    const rateClock = { clockStartedAt: after.clockStartedAt, offeredAtClockStart: after.offeredAtClockStart };
    await tx.update(releases).set({ ...rateClock, revision: sql`${releases.revision} + 1`, updatedAt: now }).where(eq(releases.id, release.id));
    const summary = (list: { name: string; share: number }[]) => list.map((w) => ({ name: w.name, share: w.share }));
    await recordAudit(tx, { actor, action: "waves.replanned", at: now, releaseId: release.id, before: { waves: summary(release.waves) }, after: { waves: summary(plan), impact } });
    return { dryRun: false as const, impact, release: await tickAndRead(tx, version, now, actor) };
  });
}

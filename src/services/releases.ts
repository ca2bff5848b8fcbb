import { desc, eq, inArray, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../db/client";
import { type Eligibility, releaseCounts, releases } from "../db/schema";
import type { ClockRelease } from "../domain/rollout-clock";
import { emptyCounts } from "../domain/update-state";
import { waveRanges } from "../domain/waves";
import { conflict, notFound } from "../domain/errors";
import { sqlState } from "../lib/db-errors";
import { recordAudit } from "./audit";

export type NewRelease = {
  version: string;
  channel: "stable" | "beta";
  notes: string;
  eligibility: Eligibility;
};

export async function createRelease({ db, input, actor, at }: { db: Db; input: NewRelease; actor: string; at: Date }) {
  // The seed fixes the fair pseudo-random queue order of this release for good.
  const seed = crypto.getRandomValues(new Int32Array(1))[0]!;
  try {
    return await db.transaction(async (tx) => {
      const [release] = await tx
        .insert(releases)
        .values({ ...input, seed, createdAt: at, updatedAt: at })
        .returning({ id: releases.id });
      await recordAudit(tx, { actor, action: "release.created", at, releaseId: release!.id, after: input });
      return (await loadReleases(tx, { version: input.version }))[0]!;
    });
  } catch (error) {
    if (sqlState(error) === "23505") throw conflict(`Release ${input.version} already exists.`);
    throw error;
  }
}

export type ReleaseView = Awaited<ReturnType<typeof loadReleases>>[number];

/** Releases with their waves (as position ranges) and per-state counts: two indexed queries. */
export async function loadReleases(db: DbOrTx, filter: { version?: string } = {}) {
  const rows = await db.query.releases.findMany({
    where: filter.version ? eq(releases.version, filter.version) : undefined,
    with: { waves: { orderBy: (w, { asc }) => [asc(w.index)] } },
    orderBy: [desc(releases.versionParts)],
  });
  const countRows = rows.length
    ? await db
        .select({ releaseId: releaseCounts.releaseId, state: releaseCounts.state, n: sql<number>`sum(${releaseCounts.count})::int` })
        .from(releaseCounts)
        .where(inArray(releaseCounts.releaseId, rows.map((r) => r.id)))
        .groupBy(releaseCounts.releaseId, releaseCounts.state)
    : [];
  return rows.map((release) => {
    const counts = emptyCounts();
    for (const row of countRows) if (row.releaseId === release.id) counts[row.state] = row.n;
    const ranges = waveRanges(release.waves.map((w) => w.share), release.queueSize);
    return {
      id: release.id,
      version: release.version,
      channel: release.channel,
      notes: release.notes,
      eligibility: release.eligibility,
      state: release.state,
      haltReason: release.haltReason,
      notice: release.noticeKind && release.noticeAt
        ? { kind: release.noticeKind, message: release.noticeMessage ?? "", at: release.noticeAt }
        : null,
      total: release.queueSize,
      offeredThrough: release.offeredThrough,
      revision: release.revision,
      seed: release.seed,
      clockStartedAt: release.clockStartedAt,
      offeredAtClockStart: release.offeredAtClockStart,
      pausedAt: release.pausedAt,
      counts,
      waves: release.waves.map((wave, i) => ({
        index: wave.index,
        name: wave.name,
        share: wave.share,
        ratePerHour: wave.ratePerHour,
        startAt: wave.startAt,
        autoAdvance: wave.autoAdvance,
        stopAt: wave.stopAt,
        state: wave.state,
        openedAt: wave.openedAt,
        fullyOfferedAt: wave.fullyOfferedAt,
        soakStartedAt: wave.soakStartedAt,
        fullyOfferedThrough: wave.fullyOfferedThrough,
        doneAt: wave.doneAt,
        ...ranges[i]!,
      })),
      createdAt: release.createdAt,
      startedAt: release.startedAt,
      completedAt: release.completedAt,
    };
  });
}

export async function getRelease(db: DbOrTx, version: string) {
  const [release] = await loadReleases(db, { version });
  if (!release) throw notFound(`Release ${version}`);
  return release;
}

/** The release as the pure rollout clock sees it. */
export function clockOf(release: ReleaseView): ClockRelease {
  return {
    state: release.state,
    queueSize: release.total,
    offeredThrough: release.offeredThrough,
    clockStartedAt: release.clockStartedAt,
    offeredAtClockStart: release.offeredAtClockStart,
    pausedAt: release.pausedAt,
    waves: release.waves.map((w) => ({ ...w, state: w.state })),
  };
}

/** Locks the release row for the rest of the transaction, then loads it. */
export async function lockRelease(tx: DbOrTx, version: string) {
  // NO KEY UPDATE: excludes every other locker, but not the FK checks of counter rows being inserted (KEY SHARE).
  const [row] = await tx.select({ id: releases.id }).from(releases).where(eq(releases.version, version)).for("no key update");
  if (!row) throw notFound(`Release ${version}`);
  return getRelease(tx, version);
}

/** Strong ETag over what a re-plan must not race with: the plan and the state. */
export const releaseEtag = (release: { id: number; revision: number }) => `"${release.id}-${release.revision}"`;

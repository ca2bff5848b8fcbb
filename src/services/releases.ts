import { type SQL, desc, eq, sql } from "drizzle-orm";
import { prepared } from "../db/prepared";
import type { Db, DbOrTx } from "../db/client";
import { type Eligibility, type ReleasePurpose, releases } from "../db/schema";
import { type LocalizedList, type LocalizedText, englishOf } from "../domain/localized-text";
import { type StateCounts, emptyCounts } from "../domain/update-state";
import { withRanges } from "../domain/waves";
import { theRow } from "../db/rows";
import { conflict, notFound } from "../domain/errors";
import { sqlState } from "../lib/db-errors";
import { recordAudit } from "./audit-write";
import { clockOf } from "./release-model";

/** What UN R156 §7 says a user must learn before an update: optional, editable. */
export type R156Fields = {
  purpose?: ReleasePurpose | null;
  installMinutes?: number | null;
  unavailableDuring?: LocalizedList | null;
  instructions?: LocalizedList | null;
};

export type NewRelease = {
  version: string;
  channel: "stable" | "beta";
  notes: LocalizedText;
  eligibility: Eligibility;
} & R156Fields;

/** The columns of localized notes: as written, and the English for plain-text readers. */
export const notesColumns = (notes: LocalizedText) => ({ notes: englishOf(notes), notesLocalized: notes });

export async function createRelease({ db, input, actor, at }: { db: Db; input: NewRelease; actor: string; at: Date }) {
  // The seed fixes the fair pseudo-random queue order of this release for good.
  const [seed = 0] = crypto.getRandomValues(new Int32Array(1));
  try {
    return await db.transaction(async (tx) => {
      const release = theRow(
        await tx.insert(releases).values({ ...input, ...notesColumns(input.notes), seed, createdAt: at, updatedAt: at }).returning({ id: releases.id }),
      );
      await recordAudit(tx, { actor, action: "release.created", at, releaseId: release.id, after: input });
      return theRow(await loadReleases(tx, { version: input.version }));
    });
  } catch (error) {
    if (sqlState(error) === "23505") throw conflict(`Release ${input.version} already exists.`);
    throw error;
  }
}

export type ReleaseView = Awaited<ReturnType<typeof loadReleases>>[number];

/**
 * The release query: waves in order, newest first. The counters ride along
 * (a few rows per state on the release_counts key): as a query of their own
 * they cost a round trip on every read of a release, and a re-plan reads its
 * release twice. Text, so both drivers hand back the same thing.
 */
const releaseQuery = (db: DbOrTx, where?: SQL) =>
  db.query.releases.findMany({
    where,
    with: { waves: { orderBy: (w, { asc }) => [asc(w.index)] } },
    orderBy: [desc(releases.versionParts)],
    extras: (release) => ({
      counts: sql<string | null>`(select json_object_agg(c.state, c.n)::text from (select t.state, sum(t.count)::int as n
        from release_counts t where t.release_id = ${release.id} group by t.state) c)`.as("counts"),
    }),
  });

// One release by version is read several times by every change of a release
// (lock, tick, answer): prepared, it is built and planned once per connection.
const releaseByVersion = (db: DbOrTx) => releaseQuery(db, eq(releases.version, sql.placeholder("version"))).prepare("release_by_version");

/** Releases with their waves (as position ranges) and per-state counts: one statement. */
export async function loadReleases(db: DbOrTx, filter: { version?: string } = {}) {
  const rows = filter.version ? await prepared(db, "release_by_version", releaseByVersion).execute({ version: filter.version }) : await releaseQuery(db);
  return rows.map((release) => {
    const counts = emptyCounts();
    Object.assign(counts, JSON.parse(release.counts ?? "{}") as Partial<StateCounts>);
    return {
      id: release.id,
      version: release.version,
      channel: release.channel,
      // Rows from before localized text have only the plain column.
      notes: release.notesLocalized ?? release.notes,
      purpose: release.purpose,
      installMinutes: release.installMinutes,
      unavailableDuring: release.unavailableDuring,
      instructions: release.instructions,
      eligibility: release.eligibility,
      state: release.state,
      haltReason: release.haltReason,
      notice: release.noticeKind && release.noticeAt
        ? { kind: release.noticeKind, message: release.noticeMessageLocalized ?? release.noticeMessage ?? "", at: release.noticeAt }
        : null,
      queueSize: release.queueSize,
      offeredThrough: release.offeredThrough,
      revision: release.revision,
      seed: release.seed,
      clockStartedAt: release.clockStartedAt,
      offeredAtClockStart: release.offeredAtClockStart,
      pausedAt: release.pausedAt,
      counts,
      waves: withRanges(release.waves, release.queueSize).map((wave) => ({
        index: wave.index,
        name: wave.name,
        // Managers read and edit every language; the rules and reports use the English name.
        nameLocalized: wave.nameLocalized ?? wave.name,
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
        from: wave.from,
        to: wave.to,
        size: wave.size,
      })),
      createdAt: release.createdAt,
      startedAt: release.startedAt,
      completedAt: release.completedAt,
      /** The release as the pure rollout clock sees it. */
      clock: clockOf(release, release.waves),
    };
  });
}

export async function getRelease(db: DbOrTx, version: string) {
  const [release] = await loadReleases(db, { version });
  if (!release) throw notFound(`Release ${version}`);
  return release;
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

import deepEqual from "fast-deep-equal";
import type { DbOrTx } from "../db/client";
import { prepared } from "../db/prepared";
import { type OwnerKnownIssue, knownIssuesVersion } from "../domain/known-issues";
import { type LocalizedText, pickLocalized } from "../domain/localized-text";
import { type AnswerCache, type FreshAnswer, type Load, answerCache } from "../lib/answer-cache";
import type { Clock } from "../lib/clock";
import { knownIssuesOfVersion } from "./known-issues";

// Owners' known issues, per release, kept apart from the owner's own answer:
// the owner read stays one prepared query (services/track*.ts), and the few
// releases being tracked cost one read each per `knownIssuesMaxAgeMs` however
// many owners refresh. A change made on this instance forgets its release at
// once; other instances (and Workers isolates) show it within the bound.

/** How stale an owner's known issues (and their report counts) may be: 5 s. */
export const knownIssuesMaxAgeMs = 5_000;

export type CachedKnownIssue = OwnerKnownIssue<LocalizedText> & { errorCodes: string[] };
export type KnownIssueCache = AnswerCache<CachedKnownIssue[]>;

export function knownIssueCache({ clock, maxAgeMs = knownIssuesMaxAgeMs, maxEntries = 1_000 }: { clock: Clock; maxAgeMs?: number; maxEntries?: number }): KnownIssueCache {
  // Unchanged issues stay the same list: the owners' bodies built with it serve on (routes/track/track.handlers.ts).
  return answerCache<CachedKnownIssue[]>({ clock, maxAgeMs, maxEntries, same: deepEqual });
}

/** The known issues of a release as owners read them (text as written), from the cache while fresh. */
export function releaseKnownIssues(cache: KnownIssueCache, db: DbOrTx, version: string): Promise<CachedKnownIssue[]> {
  return cache.get(version, readKnownIssues(db));
}

/** One loader per database (or transaction), for every release (lib/answer-cache.ts `Load`), kept as its statements are. */
const readKnownIssues = (db: DbOrTx): Load<CachedKnownIssue[]> =>
  prepared(db, "known_issues_load", () => async (_now: Date, _ahead: boolean, version: string) =>
    (await knownIssuesOfVersion(db, version)).map(({ id, title, status, fixedIn, reports, errorCodes }) => ({ id, title, status, fixedIn, reports, errorCodes })),
  );

type OwnerStatus = { state: string; release: { version: string } | null; vehicle: { firmware: string } };

/**
 * The one place an owner's status gets its `knownIssues` (SPEC: Known issues):
 * those of the release they wait for or run, each title in the reader's language.
 */
export async function withKnownIssues<S extends OwnerStatus>(cache: KnownIssueCache, db: DbOrTx, status: S, tag: string) {
  return attachKnownIssues(status, await issuesFor(cache, db, status), tag);
}

/** The cached issues an owner's status shows (before they are put in a language). */
export const issuesFor = (cache: KnownIssueCache, db: DbOrTx, status: OwnerStatus) => releaseKnownIssues(cache, db, knownIssuesVersion(status));

/**
 * The same while the cache holds them fresh, as of `now`, with when they are to be read again;
 * undefined otherwise (never waits). Bound to one database once. A refresh storm's hits do not
 * ask: their hot answers hold the issues they were built with (routes/track/hot-answers.ts).
 */
export function cachedIssuesOf(cache: KnownIssueCache, db: DbOrTx): (status: OwnerStatus, now: Date) => FreshAnswer<CachedKnownIssue[]> | undefined {
  const load = readKnownIssues(db);
  return (status, now) => cache.peekFresh(knownIssuesVersion(status), load, now);
}

/** The status with `knownIssues` in the reader's language. */
export function attachKnownIssues<S extends object>(status: S, issues: readonly CachedKnownIssue[], tag: string): S & { knownIssues: OwnerKnownIssue[] } {
  return { ...status, knownIssues: issues.map(({ id, title, status: state, fixedIn, reports }) => ({ id, title: pickLocalized(title, tag), status: state, fixedIn, reports })) };
}

import DataLoader from "dataloader";
import deepEqual from "fast-deep-equal";
import { type Db, poolConnections } from "../db/client";
import { DomainError } from "../domain/errors";
import { type AnswerCache, type FreshAnswer, type Load, answerCache } from "../lib/answer-cache";
import { busyLanes } from "../lib/busy-lanes";
import { prepared } from "../db/prepared";
import type { Clock } from "../lib/clock";
import { sha256Hex } from "../lib/secrets";
import { type OwnerStatus, trackCodes } from "./track";

/** An owner's status, or null for a code that is unknown, expired or revoked. */
export type OwnerAnswer = OwnerStatus | null;
export type OwnerAnswers = AnswerCache<OwnerAnswer>;

/** Offers land on the next beat of the clock; ETAs include one beat. */
export const beatMs = 60_000;

/** Unknown, expired and revoked codes look the same from outside. */
export const unknownCode = () => new DomainError("not_found", "No vehicle is tracked with this code, or the link has expired.");

/** How many owner answers an instance keeps by default (and as many hot answers, routes/track/hot-answers.ts). */
export const ownerAnswersKept = 10_000;

/**
 * Owner answers by their code, each at most
 * `maxAgeMs` old. Unknown codes are kept as briefly as known ones: a guessing
 * flood of one code costs one read a second, and a code created a moment ago
 * works within the same bound. ~2 KB an answer: 10,000 answers ≈ 20 MB.
 */
export function ownerAnswerCache({ clock, maxAgeMs, maxEntries = ownerAnswersKept }: { clock: Clock; maxAgeMs: number; maxEntries?: number }): OwnerAnswers {
  // An answer read again unchanged stays the same object, and its bodies (routes/track/track.handlers.ts) serve on.
  return answerCache<OwnerAnswer>({ clock, maxAgeMs, maxEntries, same: deepEqual });
}

/**
 * Owner reads in flight per database at once; the ones arriving meanwhile go together in the next.
 * At most 4, and no more than the pool has connections: PGlite has one, where 4 statements
 * in line only split the waiting reads into smaller batches (measured: 1 lane reads ~1.45×
 * as many codes a second as 4 there). A transaction (tests) is one connection too.
 */
export function ownerReadLanes(db: Db): number {
  return Math.min(4, poolConnections(db));
}
/** Codes in one statement: enough to take a refresh storm's burst, small enough to answer in a few ms. */
const maxCodesPerRead = 64;

/**
 * How long reads ahead of an answer's end wait for company. Nobody waits for them (the cached
 * answer is served meanwhile, a quarter of its bound before its end), and in a refresh storm they
 * come one by one as each hot answer nears its end: sent alone, each was a round trip of its own,
 * ~5× the CPU per code of a shared one, and together most of the storm's cost.
 */
export const aheadGatherMs = 20;

/**
 * A database with one connection may answer in this very thread (PGlite): its statement
 * then runs to its end within the microtasks of the request that sent it, the lane is
 * free again before the next request of the same turn is read, and every batch was one
 * code (measured under 50 connections: 1.0 code per statement, ~1 ms of CPU per read,
 * where a batch of 50 costs 0.1 ms per code). Its batches wait for the rest of the turn
 * of the event loop instead, so the requests read in the same turn go together.
 * (A test's transaction is one connection too; it only gathers more.)
 */
const inThisThread = (db: Db) => poolConnections(db) === 1;
const afterThisTurn = (dispatch: () => void) => {
  // Node's check phase comes right after the turn's reads; elsewhere (Workers) a task queued after them.
  if (typeof setImmediate === "function") setImmediate(dispatch);
  else setTimeout(dispatch, 0);
};

type OwnerRead = { hash: string; now: Date };
type OwnerLoader = DataLoader<OwnerRead, OwnerAnswer>;
const readers = new WeakMap<object, { waited: OwnerLoader; ahead: OwnerLoader }>();

/** Uncached owner reads of one database, gathered into batches (lib/busy-lanes.ts) that share its lanes. */
function ownerReaders(db: Db) {
  let pair = readers.get(db);
  if (!pair) {
    const lanes = busyLanes(ownerReadLanes(db), inThisThread(db) ? afterThisTurn : queueMicrotask);
    const loader = (schedule: (dispatch: () => void) => void): OwnerLoader =>
      new DataLoader<OwnerRead, OwnerAnswer>(
        (reads) =>
          lanes.run(async () => {
            // Read after every request of the batch began: the latest clock reading is each one's "now" or later.
            const now = new Date(Math.max(...reads.map((r) => r.now.getTime())));
            const statuses = await trackCodes(db, [...new Set(reads.map((r) => r.hash))], now, beatMs);
            return reads.map((r) => statuses.get(r.hash) ?? null);
          }),
        // Answers are cached by the answer cache, with its bound; the loader only gathers.
        { cache: false, maxBatchSize: maxCodesPerRead, batchScheduleFn: schedule },
      );
    pair = {
      waited: loader((dispatch) => lanes.schedule(dispatch)),
      ahead: loader((dispatch) => setTimeout(() => lanes.schedule(dispatch), aheadGatherMs)),
    };
    readers.set(db, pair);
  }
  return pair;
}

/** One loader per database, for every code (lib/answer-cache.ts `Load`), kept as its statements are. */
const readOwner = (db: Db): Load<OwnerAnswer> =>
  prepared(db, "owner_answer_load", () => {
    const { waited, ahead: early } = ownerReaders(db);
    // The database knows codes by their hash only; a cached answer is found by its code with none (a refresh storm hashed each hit).
    return (now: Date, ahead: boolean, code: string) => (ahead ? early : waited).load({ hash: sha256Hex(code), now });
  });

/** The owner's status behind a tracking code, from the cache while it is fresh. */
export async function ownerAnswer(answers: OwnerAnswers, db: Db, code: string) {
  const status = await ownerAnswerOrNull(answers, db, code);
  if (!status) throw unknownCode();
  return status;
}

/** The same, with null for a code that is unknown, expired or revoked. */
export function ownerAnswerOrNull(answers: OwnerAnswers, db: Db, code: string): Promise<OwnerAnswer> {
  return answers.get(code, readOwner(db));
}

/**
 * The owner's status while the cache holds a fresh one for the code, as of `now`, with when it is
 * to be read again; undefined otherwise (never waits for the database), also for an unknown code.
 * Bound to one database once: a refresh storm asks per request.
 */
export function cachedOwnerAnswersOf(answers: OwnerAnswers, db: Db): (code: string, now: Date) => FreshAnswer<OwnerStatus> | undefined {
  const load = readOwner(db);
  return (code, now) => {
    const fresh = answers.peekFresh(code, load, now);
    return fresh?.value ? (fresh as FreshAnswer<OwnerStatus>) : undefined;
  };
}

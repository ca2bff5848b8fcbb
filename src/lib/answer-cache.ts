import { LRUCache } from "lru-cache";
import type { Clock } from "./clock";

// A refresh storm asks the same question many times a second, and one database
// round trip costs more than a whole cached answer. Answers are kept for at
// most `maxAgeMs` counted from when their read *started*, so no answer served
// from here reflects the database as it was more than maxAgeMs ago (plus the
// read's own duration, which any uncached answer also has).
//
// A hot answer is read again *ahead* of its end: once three quarters of its bound
// have passed, the next request starts one background read and is still served the
// cached answer, which stays within its bound. Waiting on the database at every
// expiry was what held a refresh storm back (every hot code expires once a second,
// and each expiry stalled the requests for it for a whole round trip).

/**
 * Reads the answer of `key` as of `now`; `ahead` when it is a read ahead of an answer's end that
 * no request waits for. The key comes as an argument so that one loader serves every key: a
 * cached hit then makes no closure (a refresh storm's reads are nearly all hits).
 */
export type Load<T> = (now: Date, ahead: boolean, key: string) => Promise<T>;

/** A fresh answer and when it is to be read again (ms). */
export type FreshAnswer<T> = { readonly value: T; readonly refreshAt: number };

export type AnswerCache<T> = {
  /** The cached answer, the one being read right now, or a fresh read by `load`. */
  get(key: string, load: Load<T>): Promise<T>;
  /**
   * The cached answer while it is fresh, with the time it is to be read again (reading it again
   * ahead of its end, as `get` does), else undefined: never waits. `now` (the clock's, by default)
   * lets one reading serve several lookups.
   */
  peekFresh(key: string, load: Load<T>, now?: Date): FreshAnswer<T> | undefined;
  /** Counts the answers stored (not those read again unchanged) and forgotten: while it stands still, what the cache holds has not changed. */
  readonly changes: number;
  /** Counts the calls of `forget`: while it stands still, no answer was dropped for a change this instance made. */
  readonly forgets: number;
  /** Forgets the key, and any read of it already under way, after a change this instance made. */
  forget(key: string): void;
  /** How many reads `load` has started: for tests and benchmarks. */
  readonly loads: number;
  readonly size: number;
};

export type AnswerCacheOptions<T> = {
  clock: Clock;
  maxAgeMs: number;
  maxEntries: number;
  /**
   * Whether an answer read again says the same as the one it replaces: then the one kept is
   * kept (with the new read's times), so that what was built from it (a body in each language)
   * still serves. A refresh storm reads each hot answer again every few seconds, and nearly
   * every time it has not changed.
   */
  same?: (kept: T, read: T) => boolean;
};

export function answerCache<T>({ clock, maxAgeMs, maxEntries, same }: AnswerCacheOptions<T>): AnswerCache<T> {
  // Least recently used first out. A Map kept in that order by delete and re-insert
  // cost ~14 µs a miss once full: V8 leaves a hole for each deleted key, and finding
  // the oldest (`keys().next()`) stepped over thousands of them (random owner reads
  // over a million codes miss nearly always). lru-cache keeps its order in linked
  // arrays instead (~0.6 µs).
  const entries = new LRUCache<string, { value: T; expiresAt: number; refreshAt: number }>({ max: Math.max(1, maxEntries) });
  // Coalesces concurrent misses of one key into one read.
  const inFlight = new Map<string, { read: Promise<T>; generation: number }>();
  let generation = 0;
  let loads = 0;
  let changes = 0;
  let forgets = 0;
  const refreshAhead = Math.floor(maxAgeMs / 4);

  const store = (key: string, read: T, startedAt: number) => {
    // Not the recency: storing is no use of the answer.
    const kept = entries.peek(key)?.value;
    const unchanged = kept !== undefined && same?.(kept, read) === true;
    // An answer that says the same is no change (see `changes`).
    if (!unchanged) changes++;
    entries.set(key, { value: unchanged ? kept : read, expiresAt: startedAt + maxAgeMs, refreshAt: startedAt + maxAgeMs - refreshAhead });
  };

  const read = (key: string, load: Load<T>, now: Date, ahead: boolean) => {
    loads++;
    const started = { generation: ++generation, at: now.getTime() };
    // Failures are never kept: the next request reads again.
    const reading = load(now, ahead, key).then(
      (value) => {
        // A forget() while this read ran means it may hold what was just changed.
        if (inFlight.get(key)?.generation === started.generation) {
          inFlight.delete(key);
          store(key, value, started.at);
        }
        return value;
      },
      (error: unknown) => {
        if (inFlight.get(key)?.generation === started.generation) inFlight.delete(key);
        throw error;
      },
    );
    inFlight.set(key, { read: reading, generation: started.generation });
    return reading;
  };

  /** A fresh entry, kept as the most recently used and read again once it nears its end. */
  const fresh = (key: string, load: Load<T>, now: Date) => {
    // A hit becomes the most recently used.
    const hit = entries.get(key);
    if (!hit || hit.expiresAt <= now.getTime()) return undefined;
    if (hit.refreshAt <= now.getTime() && !inFlight.has(key)) {
      // Nobody waits for this read: its failure only means the next request reads again.
      read(key, load, now, true).catch(() => {});
    }
    return hit;
  };

  return {
    peekFresh(key, load, now = clock.now()) {
      return fresh(key, load, now);
    },
    get(key, load) {
      const now = clock.now();
      const hit = fresh(key, load, now);
      if (hit) return Promise.resolve(hit.value);
      entries.delete(key);
      const pending = inFlight.get(key);
      if (pending) return pending.read;
      if (maxAgeMs <= 0) {
        loads++;
        return load(now, false, key);
      }
      return read(key, load, now, false);
    },
    forget(key) {
      changes++;
      forgets++;
      entries.delete(key);
      inFlight.delete(key);
    },
    get loads() {
      return loads;
    },
    get changes() {
      return changes;
    },
    get forgets() {
      return forgets;
    },
    get size() {
      return entries.size;
    },
  };
}

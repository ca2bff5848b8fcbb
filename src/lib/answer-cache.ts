import type { Clock } from "./clock";

// A refresh storm asks the same question many times a second, and one database
// round trip costs more than a whole cached answer. Answers are kept for at
// most `maxAgeMs` counted from when their read *started*, so no answer served
// from here reflects the database as it was more than maxAgeMs ago (plus the
// read's own duration, which any uncached answer also has).

export type AnswerCache<T> = {
  /** The cached answer, the one being read right now, or a fresh read by `load`. */
  get(key: string, load: (now: Date) => Promise<T>): Promise<T>;
  /** Forgets the key, and any read of it already under way, after a change this instance made. */
  forget(key: string): void;
  /** How many reads `load` has started: for tests and benchmarks. */
  readonly loads: number;
  readonly size: number;
};

export type AnswerCacheOptions = { clock: Clock; maxAgeMs: number; maxEntries: number };

export function answerCache<T>({ clock, maxAgeMs, maxEntries }: AnswerCacheOptions): AnswerCache<T> {
  // A Map iterates in insertion order: re-inserting on a hit keeps the oldest-used first.
  const entries = new Map<string, { value: T; expiresAt: number }>();
  // Coalesces concurrent misses of one key into one read.
  const inFlight = new Map<string, { read: Promise<T>; generation: number }>();
  let generation = 0;
  let loads = 0;

  const store = (key: string, value: T, expiresAt: number) => {
    entries.delete(key);
    entries.set(key, { value, expiresAt });
    const oldest = entries.keys().next();
    if (entries.size > maxEntries && !oldest.done) entries.delete(oldest.value);
  };

  return {
    get(key, load) {
      const now = clock.now();
      const hit = entries.get(key);
      if (hit && hit.expiresAt > now.getTime()) {
        entries.delete(key);
        entries.set(key, hit);
        return Promise.resolve(hit.value);
      }
      if (hit) entries.delete(key);
      const pending = inFlight.get(key);
      if (pending) return pending.read;
      loads++;
      if (maxAgeMs <= 0) return load(now);
      const started = { generation: ++generation, at: now.getTime() };
      // Failures are never kept: the next request reads again.
      const read = load(now).then(
        (value) => {
          // A forget() while this read ran means it may hold what was just changed.
          if (inFlight.get(key)?.generation === started.generation) {
            inFlight.delete(key);
            store(key, value, started.at + maxAgeMs);
          }
          return value;
        },
        (error: unknown) => {
          if (inFlight.get(key)?.generation === started.generation) inFlight.delete(key);
          throw error;
        },
      );
      inFlight.set(key, { read, generation: started.generation });
      return read;
    },
    forget(key) {
      entries.delete(key);
      inFlight.delete(key);
    },
    get loads() {
      return loads;
    },
    get size() {
      return entries.size;
    },
  };
}

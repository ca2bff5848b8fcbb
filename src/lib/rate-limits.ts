import type { Context } from "hono";
import { type ClientRateLimitInfo, type HonoConfigType, MemoryStore, type Store } from "hono-rate-limiter";
import type { AppEnv } from "./env";
import { ApiError } from "./problem";

/** Where the per-client counts live: memory of this process or isolate, or Redis shared by instances. */
export type RateLimitStores = { track: Store<AppEnv>; authFailures: Store<AppEnv> };

export const windowMs = 60_000;

export const memoryRateLimitStores = (): RateLimitStores => ({ track: new MemoryStore<AppEnv>(), authFailures: new MemoryStore<AppEnv>() });

/**
 * A shared store that falls back to this instance's memory while it cannot be
 * reached: a Redis outage then loosens the limits to one budget per instance
 * instead of taking the API down or dropping the limits altogether.
 */
export function withMemoryFallback(shared: Store<AppEnv>, name: string, log: (message: string) => void = console.warn): Store<AppEnv> {
  const memory = new MemoryStore<AppEnv>();
  let down = false;
  const attempt = async <T>(run: (store: Store<AppEnv>) => T | Promise<T>): Promise<T> => {
    try {
      const result = await run(shared);
      if (down) log(`rate limits (${name}): shared store reachable again`);
      down = false;
      return result;
    } catch (error) {
      if (!down) log(`rate limits (${name}): shared store (Redis) unreachable, counting in memory: ${error instanceof Error ? error.message : String(error)}`);
      down = true;
      return run(memory);
    }
  };
  return {
    init: (options: HonoConfigType<AppEnv>) => {
      shared.init?.(options);
      memory.init(options);
    },
    get: (key) => attempt((s) => s.get?.(key)),
    increment: (key) => attempt((s) => s.increment(key)),
    decrement: (key) => attempt((s) => s.decrement(key)),
    resetKey: (key) => attempt((s) => s.resetKey(key)),
  };
}

const retryAfter = (info: ClientRateLimitInfo | undefined) =>
  String(Math.max(1, Math.ceil(((info?.resetTime?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000)));

/**
 * Failed authentication per client. Only failures are counted, after the fact:
 * hono-rate-limiter's middleware counts every request up front, which would let
 * a busy gateway with a valid key run into a limit meant for guessers.
 */
export function failedAuthLimit(options: { store: Store<AppEnv>; limit: number; clientKey: (c: Context) => string }) {
  const { store, limit, clientKey } = options;
  // Stores read only windowMs from their init config; the rest of the type is for the middleware.
  store.init?.({ windowMs } as HonoConfigType<AppEnv>);
  return {
    /** Refuses a client that has used up its failures, before its credential is even looked at. */
    async check(c: Context) {
      const info = await store.get?.(clientKey(c));
      if (info && info.totalHits >= limit && (info.resetTime?.getTime() ?? Infinity) > Date.now()) {
        throw new ApiError("rate_limited", "Too many failed authentication attempts from this client; try again after Retry-After seconds.", {
          headers: { "retry-after": retryAfter(info) },
        });
      }
    },
    async failed(c: Context) {
      await store.increment(clientKey(c));
    },
  };
}

export type FailedAuthLimit = ReturnType<typeof failedAuthLimit>;

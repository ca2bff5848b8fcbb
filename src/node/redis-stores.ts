import { createHash } from "node:crypto";
import { type RedisClient, RedisStore } from "hono-rate-limiter";
import { Redis } from "ioredis";
import type { AppEnv } from "../lib/env";
import { type RateLimitStores, withMemoryFallback } from "../lib/rate-limits";

/**
 * The rate-limit counts in Redis, so several Node instances behind a load
 * balancer share one budget per client. A Redis that is down or slow must not
 * hold requests up: commands fail at once while disconnected and after 500 ms
 * otherwise, and the stores then count in memory until Redis is back.
 */
export async function redisRateLimitStores(url: string, prefix: string): Promise<RateLimitStores> {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 500, connectTimeout: 2_000 });
  let reported = false;
  redis.on("error", (error: Error) => {
    if (!reported) console.warn(`redis (${url.replace(/\/\/[^@]*@/, "//")}): ${error.message}; rate limits count in memory meanwhile`);
    reported = true;
  });
  redis.on("ready", () => (reported = false));
  // Serve once connected, so the first requests count in Redis too; a Redis
  // that is down delays the start by at most two seconds.
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 2_000);
    redis.once("ready", () => (clearTimeout(timer), resolve()));
  });

  // hono-rate-limiter loads its scripts once, when the store is built; if Redis
  // is not there yet (or restarts and forgets them), its `get` never recovers.
  // Knowing each script's SHA here lets every call fall back to EVAL instead.
  const scripts = new Map<string, string>();
  const client: RedisClient = {
    scriptLoad: (script) => {
      const sha = createHash("sha1").update(script).digest("hex");
      scripts.set(sha, script);
      return Promise.resolve(sha);
    },
    evalsha: async <TArgs extends unknown[], TData = unknown>(sha: string, keys: string[], args: TArgs) => {
      const argv = args.map(String);
      // The store interface lets the caller name what its own script returns; ioredis only knows `unknown`.
      try {
        return (await redis.evalsha(sha, keys.length, ...keys, ...argv)) as TData;
      } catch (error) {
        const script = scripts.get(sha);
        if (!script || !String(error).includes("NOSCRIPT")) throw error;
        // As above: the caller names what its own script returns; ioredis only knows `unknown`.
        return (await redis.eval(script, keys.length, ...keys, ...argv)) as TData;
      }
    },
    decr: (key) => redis.decr(key),
    del: (key) => redis.del(key),
  };
  const store = (name: string) => withMemoryFallback(new RedisStore<AppEnv>({ client, prefix: `${prefix}${name}:` }), name);
  return { track: store("track"), authFailures: store("auth-failures") };
}

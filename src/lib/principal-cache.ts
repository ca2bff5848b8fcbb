import { LRUCache } from "lru-cache";
import type { Clock } from "./clock";
import type { Principal } from "./env";

// A gateway or a console sends the same Bearer key with every request, and
// looking it up is a database round trip that costs more than a cached
// progress answer. Keys and device tokens that resolved are kept here, by the
// token's hash, for at most `maxAgeMs` counted from when their lookup started.
//
// What the bound means for a revocation:
// - made through this instance (services/keys.ts `revokeKeys`): forgotten at
//   once, and a lookup already under way is not kept;
// - made elsewhere (another instance or isolate, SQL by hand): a key keeps
//   working where it was cached for at most `maxAgeMs` after the revocation
//   committed. Keys are revoked for leaks and rotations, where a few seconds
//   do not matter; a per-request round trip on every API call does.
//
// Unknown and revoked tokens are never kept: every guess still reaches the
// database and counts against the client's failed-authentication budget.

/** Principals behind recently seen tokens; pass one that outlives the app when apps are short-lived (Workers). */
export type PrincipalCache = {
  /** The principal behind a token's hash: from the cache while fresh, else from `lookup` (kept when it names one). */
  resolve(hash: string, lookup: () => Promise<Principal | null>): Promise<Principal | null>;
  /** Forgets every principal, and any lookup under way, after this instance revoked a key. */
  forgetAll(): void;
  readonly size: number;
};

export const principalCacheMs = 5_000;

export function principalCache({ clock, maxAgeMs = principalCacheMs, maxEntries = 10_000 }: { clock: Clock; maxAgeMs?: number; maxEntries?: number }): PrincipalCache {
  // ttlResolution 0: expiry is judged against the app's clock on every read, not a clock cached for a millisecond.
  const entries = new LRUCache<string, Principal>({ max: maxEntries, ttl: maxAgeMs, ttlResolution: 0, perf: { now: () => clock.now().getTime() } });
  let generation = 0;
  return {
    async resolve(hash, lookup) {
      const hit = entries.get(hash);
      if (hit) return hit;
      const started = { generation, at: clock.now().getTime() };
      const principal = await lookup();
      // The lookup may have read the key before a revocation this instance made meanwhile.
      const left = started.at + maxAgeMs - clock.now().getTime();
      if (principal && started.generation === generation && left > 0) entries.set(hash, principal, { ttl: left });
      return principal;
    },
    forgetAll() {
      generation++;
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}

import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { manualClock } from "../../src/lib/clock";
import type { Principal } from "../../src/lib/env";
import { principalCache, principalCacheMs } from "../../src/lib/principal-cache";
import { revokeKeys } from "../../src/services/keys";
import { backends } from "../helpers/backends";
import { withApp } from "../helpers/app";
import { registerFleet } from "../helpers/rollout";

// Keys and device tokens are cached by their hash for a few seconds (src/lib/principal-cache.ts):
// what that may and may not change about who gets in.

const label = () => `cached desk ${crypto.randomUUID()}`;

describe.each(backends)("principal cache ($name)", (backend) => {
  test("a key keeps working from the cache after a revocation elsewhere, and stops once the bound has passed", () =>
    withApp(backend, async ({ request, db, clock }) => {
      const name = label();
      const { token } = (await (await request("POST", "/v1/keys", { json: { role: "support", label: name } })).json()) as { token: string };
      expect((await request("GET", "/v1/releases", { token })).status).toBe(200);

      // Another instance (or an operator with psql) revokes it: this one has not heard.
      await db.execute(sql`update api_keys set revoked_at = now() where label = ${name}`);
      expect((await request("GET", "/v1/releases", { token })).status).toBe(200);
      clock.advance(principalCacheMs);
      expect((await request("GET", "/v1/releases", { token })).status).toBe(200);

      clock.advance(1);
      expect((await request("GET", "/v1/releases", { token })).status).toBe(401);
    }));

  test("a key revoked through this instance stops working at once", async () => {
    const clock = manualClock("2026-11-01T08:00:00Z");
    const principals = principalCache({ clock });
    await withApp(
      backend,
      async ({ request, db }) => {
        const name = label();
        const { token } = (await (await request("POST", "/v1/keys", { json: { role: "support", label: name } })).json()) as { token: string };
        expect((await request("GET", "/v1/releases", { token })).status).toBe(200);
        expect(principals.size).toBe(1);

        expect(await revokeKeys({ db, labelLike: name, at: clock.now(), principals })).toBe(1);
        expect((await request("GET", "/v1/releases", { token })).status).toBe(401);
      },
      { principals },
    );
  });

  test("unknown tokens are never cached: each one counts against the failed-authentication limit, and a client over it is refused even with a cached key", () =>
    withApp(
      backend,
      async ({ request, keyFor }) => {
        const support = await keyFor("support");
        expect((await request("GET", "/v1/releases", { token: support, peer: "203.0.113.7" })).status).toBe(200);

        const guess = `rtk_${"x".repeat(40)}`;
        for (let i = 0; i < 3; i++) expect((await request("GET", "/v1/releases", { token: guess, peer: "203.0.113.7" })).status).toBe(401);
        expect((await request("GET", "/v1/releases", { token: guess, peer: "203.0.113.7" })).status).toBe(429);
        // Over the limit, the client learns nothing, not even that a key it holds is right.
        expect((await request("GET", "/v1/releases", { token: support, peer: "203.0.113.7" })).status).toBe(429);
        expect((await request("GET", "/v1/releases", { token: support, peer: "203.0.113.8" })).status).toBe(200);
      },
      { config: { authFailureLimit: 3 } },
    ));

  test("a cached device token still speaks only for its own vehicle", () =>
    withApp(backend, async (ctx) => {
      const { vehicles } = await registerFleet(ctx, 2);
      const [a, b] = vehicles as [(typeof vehicles)[0], (typeof vehicles)[0]];
      const reportOf = (vin: string) => ({ eventId: crypto.randomUUID(), vin, version: "2099.1.1", state: "downloading", at: ctx.clock.now().toISOString() });
      // Twice each: the second time both tokens come from the cache.
      for (let round = 0; round < 2; round++) {
        expect((await ctx.request("POST", "/v1/reports", { token: a.deviceToken, json: reportOf(a.vin) })).status).toBe(200);
        expect((await ctx.request("POST", "/v1/reports", { token: b.deviceToken, json: reportOf(b.vin) })).status).toBe(200);
        expect((await ctx.request("POST", "/v1/reports", { token: a.deviceToken, json: reportOf(b.vin) })).status).toBe(403);
        expect((await ctx.request("POST", "/v1/reports", { token: b.deviceToken, json: reportOf(a.vin) })).status).toBe(403);
      }
    }));
});

describe("principal cache, a lookup overtaken by a revocation", () => {
  test("a principal read before this instance revoked keys is not kept", async () => {
    const principals = principalCache({ clock: manualClock() });
    const support: Principal = { kind: "key", role: "support", keyId: 1, label: "desk" };
    let finish: (p: Principal) => void = () => {};
    const slow = principals.resolve("hash", () => new Promise<Principal>((resolve) => (finish = resolve)));
    principals.forgetAll();
    finish(support);
    expect(await slow).toEqual(support);
    expect(principals.size).toBe(0);

    // Without a revocation in between, the same lookup is kept.
    expect(await principals.resolve("hash", () => Promise.resolve(support))).toEqual(support);
    expect(principals.size).toBe(1);
  });
});

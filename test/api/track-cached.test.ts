import { describe, expect, test } from "vitest";
import { manualClock } from "../../src/lib/clock";
import { type OwnerAnswers, ownerAnswerCache } from "../../src/services/owner-answers";
import { type Backend, backends } from "../helpers/backends";
import { type TestContext, withApp } from "../helpers/app";
import { draftRelease, registerFleet } from "../helpers/rollout";

// An owner's answer that is fresh in the cache is served before the rest of the
// middleware (src/routes/track/track.cached.ts). These tests hold that way to the
// long one: the same body and headers, the same limit, and it is taken only when
// nothing about the request asks for more.

/** An app whose owner-answer cache counts the reads that went the long way (they call `get`). */
function withCountingApp(backend: Backend, work: (ctx: TestContext, counted: { longWay: number }) => Promise<void>) {
  const cache = ownerAnswerCache({ clock: manualClock("2026-11-01T08:00:00Z"), maxAgeMs: 1000 });
  const counted = { longWay: 0 };
  const answers: OwnerAnswers = {
    get: (key, load) => (counted.longWay++, cache.get(key, load)),
    peekFresh: (key, load, now) => cache.peekFresh(key, load, now),
    forget: (key) => cache.forget(key),
    get changes() {
      return cache.changes;
    },
    get forgets() {
      return cache.forgets;
    },
    get loads() {
      return cache.loads;
    },
    get size() {
      return cache.size;
    },
  };
  return withApp(backend, (ctx) => work(ctx, counted), { ownerAnswers: answers });
}

const volatile = new Set(["x-request-id", "ratelimit", "date"]);
const headersOf = (res: Response) => Object.fromEntries([...res.headers].filter(([name]) => !volatile.has(name)));

async function started(ctx: TestContext) {
  const { region, vehicles } = await registerFleet(ctx, 3);
  const { version } = await draftRelease(ctx, region, [{ name: "first", share: 34 }, { name: "rest", share: 100, ratePerHour: 1 }]);
  expect((await ctx.request("POST", `/v1/releases/${version}/start`)).status).toBe(200);
  return vehicles;
}

describe.each(backends)("cached owner answers ($name)", (backend) => {
  test("are served before the other middleware with the same body and headers as the long way", () =>
    withCountingApp(backend, async (ctx, counted) => {
      const [car] = await started(ctx);
      for (const query of ["", "?lang=nl"]) {
        const path = `/v1/track/${car!.ownerCode}${query}`;
        const longWay = await ctx.request("GET", path, { token: null, peer: "198.51.100.1", headers: { "accept-language": "de" } });
        const before = counted.longWay;
        const cached = await ctx.request("GET", path, { token: null, peer: "198.51.100.1", headers: { "accept-language": "de" } });
        expect(counted.longWay).toBe(before);
        expect(cached.status).toBe(200);
        expect(await cached.text()).toBe(await longWay.text());
        expect(headersOf(cached)).toEqual(headersOf(longWay));
        expect(cached.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
        expect(cached.headers.get("x-request-id")).not.toBe(longWay.headers.get("x-request-id"));
        expect(cached.headers.get("ratelimit")).toMatch(/^limit=60, remaining=\d+, reset=\d+$/);
      }
      // In the language asked for, also when another was cached first.
      const dutch = await ctx.request("GET", `/v1/track/${car!.ownerCode}`, { token: null, headers: { "accept-language": "nl" } });
      expect(headersOf(dutch)["content-language"]).toBeUndefined();
      expect(await dutch.text()).toBe(await (await ctx.request("GET", `/v1/track/${car!.ownerCode}?lang=nl`, { token: null })).text());
    }));

  test("go the long way when the request asks for more: a credential, a request id, another query, a bad language", () =>
    withCountingApp(backend, async (ctx, counted) => {
      const [car] = await started(ctx);
      const path = `/v1/track/${car!.ownerCode}`;
      expect((await ctx.request("GET", path, { token: null })).status).toBe(200);
      const longWay = async (init: Parameters<TestContext["request"]>[2], suffix = "") => {
        const before = counted.longWay;
        const res = await ctx.request("GET", `${path}${suffix}`, { token: null, ...init });
        expect(counted.longWay, `${suffix} ${JSON.stringify(init)}`).toBe(before + 1);
        return res;
      };
      // Refused by authentication before the handler: the cached answer would have been a 200.
      expect((await ctx.request("GET", path, { token: "not-a-key-0123456789" })).status).toBe(401);
      const echoed = await longWay({ headers: { "x-request-id": "support-ticket-42" } });
      expect(echoed.headers.get("x-request-id")).toBe("support-ticket-42");
      expect((await longWay({}, "?lang=nl&debug=1")).status).toBe(200);
      // Refused by validation before the handler.
      expect((await ctx.request("GET", `${path}?lang=%3Cscript%3E`, { token: null })).status).toBe(400);
      // A code of the wrong shape, too: the door lets none through (the read-ahead takes each code it is given as well-formed).
      for (const code of ["short", "x".repeat(65), "bench_code_with.dot"]) expect((await ctx.request("GET", `/v1/track/${code}`, { token: null })).status, code).toBe(400);
    }));

  test("count against the client's limit like any other read, and a client at its limit is refused", () =>
    withApp(
      backend,
      async (ctx) => {
        const [car, other] = await started(ctx);
        const peer = "203.0.113.9";
        const statuses: number[] = [];
        for (let i = 0; i < 4; i++) statuses.push((await ctx.request("GET", `/v1/track/${car!.ownerCode}`, { token: null, peer })).status);
        expect(statuses).toEqual([200, 200, 200, 429]);
        // One client's reads never use up another's budget.
        expect((await ctx.request("GET", `/v1/track/${car!.ownerCode}`, { token: null, peer: "203.0.113.10" })).status).toBe(200);
        expect((await ctx.request("GET", `/v1/track/${other!.ownerCode}`, { token: null, peer })).status).toBe(429);
      },
      { config: { trackRateLimit: 3 } },
    ));

  test("never serve an answer past its bound or another code's answer", () =>
    withApp(backend, async (ctx) => {
      const [a, b] = await started(ctx);
      const vinOf = async (code: string) => ((await (await ctx.request("GET", `/v1/track/${code}`, { token: null })).json()) as { vehicle: { vin: string } }).vehicle.vin;
      const first = await vinOf(a!.ownerCode);
      expect(await vinOf(b!.ownerCode)).not.toBe(first);
      expect(await vinOf(a!.ownerCode)).toBe(first);
      // The installed report changes the answer; served from the cache until its bound, then the new state.
      const report = { eventId: crypto.randomUUID(), vin: a!.vin, version: (await (await ctx.request("GET", `/v1/track/${a!.ownerCode}`, { token: null })).json() as { release: { version: string } }).release.version, state: "installed", at: ctx.clock.now().toISOString() };
      expect((await ctx.request("POST", "/v1/reports", { token: await ctx.keyFor("gateway"), json: report })).status).toBe(200);
      ctx.clock.advance(1_999);
      const stale = (await (await ctx.request("GET", `/v1/track/${a!.ownerCode}`, { token: null })).json()) as { state: string };
      expect(stale.state).not.toBe("installed");
      ctx.clock.advance(1);
      const fresh = (await (await ctx.request("GET", `/v1/track/${a!.ownerCode}`, { token: null })).json()) as { state: string };
      expect(fresh.state).toBe("installed");
    }));
});

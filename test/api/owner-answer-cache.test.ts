import { describe, expect, test } from "vitest";
import { answerCache } from "../../src/lib/answer-cache";
import { manualClock, systemClock } from "../../src/lib/clock";
import { ownerAnswerCache } from "../../src/services/owner-answers";
import { backends } from "../helpers/backends";
import { type TestContext, withApp } from "../helpers/app";
import { draftRelease, json, registerFleet } from "../helpers/rollout";

// Owner answers are reused for at most 2 s counted from their read (TRACK_CACHE_MS),
// and the browser only what that leaves of 2 s (nothing by default): never older than 2 s.

type Track = { vehicle: { vin: string }; release: { version: string } | null; state: string };

const track = (ctx: TestContext, code: string) => ctx.request("GET", `/v1/track/${code}`, { token: null, peer: `owner-${code}` });
const masked = (vin: string) => `${vin.slice(0, 9)}*****${vin.slice(14)}`;

describe.each(backends)("the owner answer cache ($name)", (backend) => {
  test("shows a change once the bound has passed, not before, and says so in Cache-Control", () =>
    withApp(backend, async (ctx) => {
      const { region, vehicles } = await registerFleet(ctx, 3);
      const code = vehicles[0]!.ownerCode;
      const before = await track(ctx, code);
      expect(before.headers.get("cache-control")).toBe("private, no-store");
      expect(((await before.json()) as Track).release).toBeNull();

      const { version } = await draftRelease(ctx, region, [{ name: "all", share: 100 }]);
      expect((await ctx.request("POST", `/v1/releases/${version}/start`)).status).toBe(200);
      ctx.clock.advance(1_999);
      expect((await json<Track>(track(ctx, code))).release).toBeNull();
      ctx.clock.advance(1);
      const after = await json<Track>(track(ctx, code));
      expect(after.release?.version).toBe(version);
      expect(after.state).toBe("offered");
    }));

  test("never answers one code with another code's status", () =>
    withApp(backend, async (ctx) => {
      const { vehicles } = await registerFleet(ctx, 6);
      for (let round = 0; round < 3; round++) {
        for (const v of vehicles) expect((await json<Track>(track(ctx, v.ownerCode))).vehicle.vin).toBe(masked(v.vin));
      }
    }));

  test("a revoked share link stops working within the bound; the owner's own change shows at once", () =>
    withApp(backend, async (ctx) => {
      const { vehicles } = await registerFleet(ctx, 1);
      const { vin, ownerCode } = vehicles[0]!;
      const support = await ctx.keyFor("support");
      const link = await json<{ id: number; code: string }>(
        ctx.request("POST", `/v1/vehicles/${vin}/share-links`, { token: support, json: { expiresInHours: 24 } }),
      );
      expect((await track(ctx, link.code)).status).toBe(200);
      expect((await ctx.request("DELETE", `/v1/vehicles/${vin}/share-links/${link.id}`, { token: support })).status).toBe(204);
      expect((await track(ctx, link.code)).status).toBe(200);
      ctx.clock.advance(2000);
      expect((await track(ctx, link.code)).status).toBe(404);

      expect((await json<{ vehicle: { channel: string } }>(track(ctx, ownerCode))).vehicle.channel).toBe("stable");
      expect((await ctx.request("PUT", `/v1/track/${ownerCode}/channel`, { token: null, json: { channel: "beta" } })).status).toBe(200);
      expect((await json<{ vehicle: { channel: string } }>(track(ctx, ownerCode))).vehicle.channel).toBe("beta");
    }));

  test("a refresh storm of one code makes one database read", async () => {
    const answers = ownerAnswerCache({ clock: systemClock, maxAgeMs: 1000 });
    await withApp(
      backend,
      async (ctx) => {
        const { vehicles } = await registerFleet(ctx, 2);
        const [a, b] = vehicles;
        const storm = await Promise.all(Array.from({ length: 25 }, (_, i) => track(ctx, (i % 5 === 0 ? b! : a!).ownerCode)));
        expect(storm.map((r) => r.status)).toEqual(storm.map(() => 200));
        expect(answers.loads).toBe(2);
      },
      { ownerAnswers: answers },
    );
  });
});

describe("answerCache", () => {
  test("counts the bound from the start of the read, keeps no failures, and drops the least recently used", async () => {
    const clock = manualClock("2026-11-01T00:00:00Z");
    const cache = answerCache<string>({ clock, maxAgeMs: 1000, maxEntries: 2 });
    // A read that takes 600 ms is good for 400 ms more.
    expect(await cache.get("a", async () => (clock.advance(600), "a1"))).toBe("a1");
    clock.advance(149);
    expect(await cache.get("a", async () => "a2")).toBe("a1");
    clock.advance(251);
    expect(await cache.get("a", async () => "a3")).toBe("a3");

    await expect(cache.get("b", async () => Promise.reject(new Error("outage")))).rejects.toThrow("outage");
    expect(await cache.get("b", async () => "b1")).toBe("b1");

    await cache.get("a", async () => "unused");
    await cache.get("c", async () => "c1");
    expect(cache.size).toBe(2);
    expect(await cache.get("b", async () => "b2")).toBe("b2");
    expect(await cache.get("a", async () => "a4")).toBe("a4");
  });

  test("a hot answer is read again ahead of its end: no request waits at its expiry, and the bound still holds", async () => {
    const clock = manualClock("2026-11-01T00:00:00Z");
    const cache = answerCache<string>({ clock, maxAgeMs: 1000, maxEntries: 10 });
    expect(await cache.get("k", async () => "v1")).toBe("v1");
    clock.advance(800);
    // Past three quarters of the bound: the cached answer at once, and one read behind it.
    let release!: (v: string) => void;
    expect(await cache.get("k", () => new Promise<string>((r) => (release = r)))).toBe("v1");
    expect(cache.loads).toBe(2);
    expect(await cache.get("k", async () => "never read")).toBe("v1");
    expect(cache.loads).toBe(2);
    release("v2");
    await new Promise((r) => setTimeout(r, 0));
    // v1 (read at 0) has expired; v2 was read at 800 and is served without a read.
    clock.advance(300);
    expect(await cache.get("k", () => Promise.reject(new Error("no read expected")))).toBe("v2");
    expect(cache.loads).toBe(2);
  });

  test("a read ahead that fails changes nothing: the answer still ends at its bound, then the next request reads", async () => {
    const clock = manualClock("2026-11-01T00:00:00Z");
    const cache = answerCache<string>({ clock, maxAgeMs: 1000, maxEntries: 10 });
    await cache.get("k", async () => "v1");
    clock.advance(800);
    expect(await cache.get("k", () => Promise.reject(new Error("outage")))).toBe("v1");
    await new Promise((r) => setTimeout(r, 0));
    clock.advance(199);
    expect(await cache.get("k", () => Promise.reject(new Error("outage")))).toBe("v1");
    await new Promise((r) => setTimeout(r, 0));
    clock.advance(1);
    expect(await cache.get("k", async () => "v3")).toBe("v3");
  });

  test("a read under way when the key is forgotten is not kept", async () => {
    const clock = manualClock();
    const cache = answerCache<string>({ clock, maxAgeMs: 1000, maxEntries: 10 });
    let release!: (v: string) => void;
    const slow = cache.get("k", () => new Promise<string>((r) => (release = r)));
    cache.forget("k");
    release("before the change");
    expect(await slow).toBe("before the change");
    expect(await cache.get("k", async () => "after the change")).toBe("after the change");
  });

  test("a zero bound caches nothing", async () => {
    const cache = answerCache<number>({ clock: manualClock(), maxAgeMs: 0, maxEntries: 10 });
    let n = 0;
    await cache.get("k", async () => ++n);
    expect(await cache.get("k", async () => ++n)).toBe(2);
  });
});

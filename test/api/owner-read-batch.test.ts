import { describe, expect, test } from "vitest";
import { sha256Hex } from "../../src/lib/secrets";
import { beatMs } from "../../src/services/owner-answers";
import { trackCodes, trackVehicle, vehicleForCode } from "../../src/services/track";
import { type TestContext, withApp } from "../helpers/app";
import { backends } from "../helpers/backends";
import { draftRelease, json, registerFleet } from "../helpers/rollout";

// The batch statement (services/track-batch.ts) reads the release once per channel,
// the cars' events and channel changes for the whole batch, and the release's part
// of the status is derived once per batch (track-status.ts). Whatever a batch holds,
// each owner's answer must be exactly the one their code reads alone, and the one the
// two-step path (code → vehicle, then the vehicle's context) gives.

/** Each code's answer in one batch of all of them (shuffled), alone, and the two-step way. */
async function threeWays(ctx: TestContext, codes: string[]) {
  const now = ctx.clock.now();
  const shuffled = [...codes].sort(() => Math.random() - 0.5);
  const together = await trackCodes(ctx.db, shuffled.map(sha256Hex), now, beatMs);
  for (const code of codes) {
    const hash = sha256Hex(code);
    const alone = (await trackCodes(ctx.db, [hash], now, beatMs)).get(hash) ?? null;
    const vehicle = await vehicleForCode(ctx.db, code, now);
    const twoStep = vehicle && (await trackVehicle(ctx.db, vehicle, now, beatMs));
    expect(together.get(hash) ?? null).toEqual(alone);
    expect(alone).toEqual(twoStep);
  }
  return together;
}

describe.each(backends)("owner reads in batches ($name)", (backend) => {
  test("a batch answers each code as it reads alone: events, channel changes, re-plans, one car by two codes, other releases", () =>
    withApp(backend, async (ctx) => {
      const { region, vehicles } = await registerFleet(ctx, 10, (i) => (i === 9 ? { model: "modelS" } : {}));
      const { version } = await draftRelease(ctx, region, [{ name: "first", share: 40 }, { name: "rest", share: 100, ratePerHour: 2 }], {
        eligibility: { regions: [region], models: ["model3"] },
      });
      expect((await ctx.request("POST", `/v1/releases/${version}/start`)).status).toBe(200);
      const report = (i: number, state: string, errorCode?: string) => {
        const car = vehicles[i]!;
        ctx.clock.advance(1_000);
        return ctx.request("POST", "/v1/reports", {
          token: car.deviceToken,
          json: { eventId: crypto.randomUUID(), vin: car.vin, version, state, at: ctx.clock.now().toISOString(), ...(errorCode ? { errorCode } : {}) },
        });
      };
      // Cars with events of their own (several for one), and one with two channel changes.
      for (const [i, state] of [[0, "downloading"], [0, "installing"], [1, "failed"], [2, "installed"], [0, "installed"]] as const) {
        expect((await report(i, state, state === "failed" ? "E42" : undefined)).status).toBe(200);
      }
      for (const channel of ["beta", "stable"]) {
        ctx.clock.advance(1_000);
        expect((await ctx.request("PUT", `/v1/track/${vehicles[3]!.ownerCode}/channel`, { token: null, json: { channel } })).status).toBe(200);
      }
      // A re-plan that moves cut points: some cars change wave.
      ctx.clock.advance(60_000);
      const release = await ctx.request("GET", `/v1/releases/${version}`);
      const replanned = await ctx.request("PUT", `/v1/releases/${version}/waves`, {
        json: { waves: [{ name: "first", share: 40 }, { name: "middle", share: 70, ratePerHour: 2 }, { name: "rest", share: 100, ratePerHour: 2 }] },
        headers: { "if-match": release.headers.get("etag")! },
      });
      expect(replanned.status).toBe(200);
      // One car on the beta channel, where no release rolls out; one by its owner's code and a share link in the same batch.
      expect((await ctx.request("PUT", `/v1/track/${vehicles[4]!.ownerCode}/channel`, { token: null, json: { channel: "beta" } })).status).toBe(200);
      const link = await json<{ code: string }>(
        ctx.request("POST", `/v1/vehicles/${vehicles[0]!.vin}/share-links`, { token: await ctx.keyFor("support"), json: { expiresInHours: 1 } }),
      );
      ctx.clock.advance(30_000);
      const codes = [...vehicles.map((v) => v.ownerCode), link.code, "no-such-code-0123456789"];
      const together = await threeWays(ctx, codes);
      expect(together.size).toBe(vehicles.length + 1);
      const states = new Set([...together.values()].map((s) => s.state));
      // Which cars are offered depends on the queue's order (random VINs); these states are there whatever it is.
      expect([...states]).toEqual(expect.arrayContaining(["failed", "installed", "not_eligible", "up_to_date"]));
      // The shared car's answer is the owner's but for the access it grants.
      expect(together.get(sha256Hex(link.code))).toEqual({ ...together.get(sha256Hex(vehicles[0]!.ownerCode)), access: "share" });
      const timeline = together.get(sha256Hex(vehicles[0]!.ownerCode))!.timeline.map((s) => s.state);
      expect(timeline).toEqual(expect.arrayContaining(["downloading", "installing", "installed"]));
      expect(together.get(sha256Hex(vehicles[3]!.ownerCode))!.timeline.filter((s) => s.state === "channel_changed")).toHaveLength(2);

      // Halted: cars see the release they were queued in; the beta car still sees none of it.
      expect((await ctx.request("POST", `/v1/releases/${version}/halt`, { json: { reason: "Test halt", message: "Stopped" } })).status).toBe(200);
      const ended = await threeWays(ctx, codes);
      expect(ended.get(sha256Hex(vehicles[5]!.ownerCode))?.release?.version).toBe(version);
    }));
});

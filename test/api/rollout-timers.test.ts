import { describe, expect, test } from "vitest";
import { tickAll } from "../../src/services/clock-tick";
import type { Release } from "../../src/routes/releases/releases.schemas";
import type { QueuePage } from "../../src/routes/rollout/rollout.schemas";
import type { Track } from "../../src/routes/track/track.schemas";
import type { RegisteredVehicle } from "../../src/routes/vehicles/vehicles.schemas";
import { backends } from "../helpers/backends";
import { type TestContext, withApp } from "../helpers/app";
import { randomVin, vehicleBody } from "../helpers/fleet";
import { draftRelease, json, registerFleet } from "../helpers/rollout";

// The rules a 10-day simulated rollout found wrong, through the API with an
// injected clock: the services must apply what the pure clock decides.

const minute = 60_000;
const tick = async (ctx: TestContext, ms: number) => {
  ctx.clock.advance(ms);
  await tickAll({ db: ctx.db, now: ctx.clock.now() });
};
const release = (ctx: TestContext, version: string) => json<Release>(ctx.request("GET", `/v1/releases/${version}`));
const track = (ctx: TestContext, code: string) =>
  json<Track>(ctx.request("GET", `/v1/track/${code}`, { token: null, headers: { "x-forwarded-for": `owner-${code}` } }));
const installed = async (ctx: TestContext, version: string, vins: string[]) => {
  const gateway = await ctx.keyFor("gateway");
  const at = ctx.clock.now().toISOString();
  const reports = vins.map((vin) => ({ eventId: crypto.randomUUID(), vin, version, state: "installed", at }));
  expect((await ctx.request("POST", "/v1/reports", { token: gateway, json: { reports } })).status).toBeLessThan(300);
};

describe.each(backends)("rollout timers ($name)", (backend) => {
  test("halving an active wave's rate keeps offering from the moment it is applied", () =>
    withApp(backend, async (ctx) => {
      const { region } = await registerFleet(ctx, 200);
      const { version } = await draftRelease(ctx, region, [{ name: "all", share: 100, ratePerHour: 120 }]);
      await ctx.request("POST", `/v1/releases/${version}/start`);
      await tick(ctx, 30 * minute);
      expect((await release(ctx, version)).offeredThrough).toBe(60);
      const etag = (await ctx.request("GET", `/v1/releases/${version}`)).headers.get("etag")!;
      const replanned = await ctx.request("PUT", `/v1/releases/${version}/waves`, {
        json: { waves: [{ name: "all", share: 100, ratePerHour: 60 }] },
        headers: { "if-match": etag },
      });
      expect(replanned.status).toBe(200);
      await tick(ctx, 5 * minute);
      expect((await release(ctx, version)).offeredThrough).toBe(65);
    }));

  test("a pause stops the soak timer: the next wave opens only after the full soak of rolling time", () =>
    withApp(backend, async (ctx) => {
      const { region } = await registerFleet(ctx, 20);
      const { version } = await draftRelease(ctx, region, [
        { name: "canary", share: 10, autoAdvance: { minSuccessPercent: 50, soakMinutes: 60 } },
        { name: "rest", share: 100 },
      ]);
      await ctx.request("POST", `/v1/releases/${version}/start`);
      const queue = await json<QueuePage>(ctx.request("GET", `/v1/releases/${version}/queue?limit=100`));
      await installed(ctx, version, queue.entries.filter((e) => e.state === "offered").map((e) => e.vin));
      await tick(ctx, 30 * minute);
      await ctx.request("POST", `/v1/releases/${version}/pause`, { json: { message: "A short look" } });
      ctx.clock.advance(120 * minute);
      await ctx.request("POST", `/v1/releases/${version}/resume`);
      await tick(ctx, 20 * minute);
      // 50 of 60 minutes soaked: still the canary
      expect((await release(ctx, version)).waves.map((w) => w.state)).toEqual(["active", "pending"]);
      await tick(ctx, 11 * minute);
      expect((await release(ctx, version)).waves.map((w) => w.state)).toEqual(["done", "active"]);
    }));

  test("a car that joins after the start is queued from when it joined, not from the release's start", () =>
    withApp(backend, async (ctx) => {
      const { region } = await registerFleet(ctx, 5);
      const { version } = await draftRelease(ctx, region, [{ name: "all", share: 100, ratePerHour: 1 }]);
      await ctx.request("POST", `/v1/releases/${version}/start`);
      ctx.clock.advance(90 * minute);
      const joinedAt = ctx.clock.now().toISOString();
      const late = await json<RegisteredVehicle>(ctx.request("PUT", `/v1/vehicles/${randomVin()}`, { json: vehicleBody({ region }) }));
      const status = await track(ctx, late.ownerCode!);
      expect(status.state).toBe("queued");
      expect(status.timeline.filter((t) => t.state === "queued")).toEqual([{ state: "queued", at: joinedAt }]);
    }));

  test("a release completes although cars keep joining; a car joining after that is offered at once", () =>
    withApp(backend, async (ctx) => {
      const { region, vehicles } = await registerFleet(ctx, 10);
      const { version } = await draftRelease(ctx, region, [{ name: "all", share: 100 }]);
      await ctx.request("POST", `/v1/releases/${version}/start`);
      ctx.clock.advance(minute);
      await ctx.request("PUT", `/v1/vehicles/${randomVin()}`, { json: vehicleBody({ region }) });
      await tick(ctx, minute);
      expect((await release(ctx, version)).offeredThrough).toBe(11);
      // every car that was there when the wave reached everyone has reported; the newcomer has not
      await installed(ctx, version, vehicles.map((v) => v.vin));
      await tick(ctx, minute);
      expect((await release(ctx, version)).state).toBe("completed");

      const after = await json<RegisteredVehicle>(ctx.request("PUT", `/v1/vehicles/${randomVin()}`, { json: vehicleBody({ region }) }));
      const status = await track(ctx, after.ownerCode!);
      expect(status.state).toBe("offered");
      expect(status.timeline.map((t) => t.state)).toEqual(["queued", "offered"]);
      expect(await release(ctx, version)).toMatchObject({ state: "completed", total: 12, offeredThrough: 12 });
    }));
});

import { describe, expect, test } from "vitest";
import type { QueuePage } from "../../src/routes/rollout/rollout.schemas";
import type { Track } from "../../src/routes/track/track.schemas";
import { type TestContext, withApp } from "../helpers/app";
import { backends } from "../helpers/backends";
import { draftRelease, json, registerFleet } from "../helpers/rollout";

// What the owner page needs beyond the fixed shape (issue #12): who holds the
// code, how many were offered, and a timeline entry when a re-plan moved the car.

const track = (ctx: TestContext, code: string) => json<Track>(ctx.request("GET", `/v1/track/${code}?lang=nl`, { token: null, peer: `owner-${code}` }));

describe.each(backends)("owner page fields ($name)", (backend) => {
  test("the answer says whether a share link or the owner's code reads it, and how many of the queue were offered", () =>
    withApp(backend, async (ctx) => {
      const { region, vehicles } = await registerFleet(ctx, 20);
      const { version } = await draftRelease(ctx, region, [
        { name: "first", share: 25 },
        { name: "rest", share: 100, ratePerHour: 60, startAt: "2030-01-01T10:00:00Z" },
      ]);
      await ctx.request("POST", `/v1/releases/${version}/start`);
      const queue = await json<QueuePage>(ctx.request("GET", `/v1/releases/${version}/queue?limit=100`));
      const firstVin = queue.entries[0]!.vin;
      const first = vehicles.find((v) => v.vin === firstVin)!;
      const own = await track(ctx, first.ownerCode);
      expect(own).toMatchObject({ access: "owner", state: "offered", queue: { position: 1, ahead: 0, offered: 5, total: 20 } });

      const support = await ctx.keyFor("support");
      const link = await json<{ code: string }>(ctx.request("POST", `/v1/vehicles/${firstVin}/share-links`, { token: support, json: { expiresInHours: 1 } }));
      expect((await track(ctx, link.code)).access).toBe("share");
    }));

  test("a re-plan that moves the car to another wave leaves a 'replanned' step with the new wave; one that does not leaves none", () =>
    withApp(backend, async (ctx) => {
      const { region, vehicles } = await registerFleet(ctx, 20);
      const later = "2030-01-01T10:00:00Z";
      const { version } = await draftRelease(ctx, region, [
        { name: "first", share: 10 },
        { name: "rest", share: 100, ratePerHour: 60, startAt: later },
      ]);
      await ctx.request("POST", `/v1/releases/${version}/start`);
      const queue = await json<QueuePage>(ctx.request("GET", `/v1/releases/${version}/queue?limit=100`));
      const last = vehicles.find((v) => v.vin === queue.entries.at(-1)!.vin)!;
      const replan = async (waves: unknown[]) => {
        const release = await ctx.request("GET", `/v1/releases/${version}`);
        const res = await ctx.request("PUT", `/v1/releases/${version}/waves`, { json: { waves }, headers: { "if-match": release.headers.get("etag")! } });
        expect(res.status).toBe(200);
      };
      ctx.clock.advance(60_000);
      // Only the rate changes: the car stays in wave 2.
      await replan([{ name: "first", share: 10 }, { name: "rest", share: 100, ratePerHour: 30, startAt: later }]);
      expect((await track(ctx, last.ownerCode)).timeline.filter((s) => s.state === "replanned")).toEqual([]);

      ctx.clock.advance(60_000);
      await replan([
        { name: "first", share: 10 },
        { name: "middle", share: 50, ratePerHour: 30, startAt: later },
        { name: { en: "rest", nl: "de rest" }, share: 100, ratePerHour: 30, startAt: later },
      ]);
      const moved = await track(ctx, last.ownerCode);
      expect(moved.queue?.wave).toMatchObject({ index: 3, name: "de rest" });
      const steps = moved.timeline.filter((s) => s.state === "replanned");
      expect(steps).toEqual([{ state: "replanned", at: ctx.clock.now().toISOString(), wave: 3, waveName: "rest" }]);
    }));
});

import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { rowsOf } from "../../src/db/rows";
import { tickAll } from "../../src/services/clock-tick";
import type { Progress, QueuePage } from "../../src/routes/rollout/rollout.schemas";
import type { ShareLink, SupportCase } from "../../src/routes/support/support.schemas";
import type { Track } from "../../src/routes/track/track.schemas";
import type { RegisteredVehicle, VehicleDetail } from "../../src/routes/vehicles/vehicles.schemas";
import { backends } from "../helpers/backends";
import { type TestContext, withApp } from "../helpers/app";
import { randomVin, vehicleBody } from "../helpers/fleet";
import { draftRelease, json, registerFleet } from "../helpers/rollout";

// Each owner looks from a phone of their own (the endpoint is rate-limited per client).
const track = (ctx: TestContext, code: string) =>
  ctx.request("GET", `/v1/track/${code}`, { token: null, peer: `owner-${code}` });

describe.each(backends)("owner tracking ($name)", (backend) => {
  test("an owner sees the fixed shape: masked VIN, place in line, wave, ETA and timeline", () =>
    withApp(backend, async (ctx) => {
      const { region, vehicles } = await registerFleet(ctx, 40);
      const { version } = await draftRelease(ctx, region, [
        { name: "first", share: 25 },
        { name: "everyone", share: 100, ratePerHour: 60, startAt: "2026-11-01T10:00:00Z" },
      ]);
      await ctx.request("POST", `/v1/releases/${version}/start`);
      const queue = await json<QueuePage>(ctx.request("GET", `/v1/releases/${version}/queue?limit=100`));
      const last = queue.entries.at(-1)!;
      const owner = vehicles.find((v) => v.vin === last.vin)!;
      const res = await track(ctx, owner.ownerCode);
      expect(res.status).toBe(200);
      const status = (await res.json()) as Track;
      expect(status.vehicle).toEqual({ vin: `${owner.vin.slice(0, 9)}*****${owner.vin.slice(14)}`, model: "model3", firmware: "2026.38.2", channel: "stable" });
      expect(status.release).toEqual({ version, notes: "Test release" });
      expect(status.state).toBe("queued");
      expect(status.queue).toEqual({ position: 40, total: 40, ahead: 29, offered: 10, wave: { index: 2, name: "everyone", state: "pending" } });
      // wave 2 starts at 10:00 at 60/h: position 40 is the 30th → 10:30
      expect(new Date(status.eta!.earliest).getTime()).toBeLessThanOrEqual(Date.parse("2026-11-01T10:30:00Z"));
      expect(new Date(status.eta!.latest).getTime()).toBeGreaterThanOrEqual(Date.parse("2026-11-01T10:30:00Z"));
      expect(status.notice).toBeNull();
      expect(status.timeline.map((t) => t.state)).toEqual(["queued"]);
      expect(JSON.stringify(status)).not.toContain(owner.vin);

      const first = vehicles.find((v) => v.vin === queue.entries[0]!.vin)!;
      const offered = (await json<Track>(track(ctx, first.ownerCode)));
      expect(offered).toMatchObject({ state: "offered", queue: { position: 1, ahead: 0, wave: { index: 1, state: "active" } }, eta: null });
      expect(offered.timeline.map((t) => t.state)).toEqual(["queued", "wave_opened", "offered"]);
    }));

  test("a pause shows its public notice and makes the ETA unknown; resume shows in the timeline", () =>
    withApp(backend, async (ctx) => {
      const { region, vehicles } = await registerFleet(ctx, 10);
      const { version } = await draftRelease(ctx, region, [{ name: "all", share: 100, ratePerHour: 1 }]);
      await ctx.request("POST", `/v1/releases/${version}/start`);
      ctx.clock.advance(60_000);
      await ctx.request("POST", `/v1/releases/${version}/pause`, { json: { message: "Paused while we look into a charging issue" } });
      const paused = await json<Track>(track(ctx, vehicles[0]!.ownerCode));
      expect(paused.notice).toMatchObject({ kind: "paused", message: "Paused while we look into a charging issue" });
      expect(paused.eta).toBeNull();
      ctx.clock.advance(60_000);
      await ctx.request("POST", `/v1/releases/${version}/resume`);
      const resumed = await json<Track>(track(ctx, vehicles[0]!.ownerCode));
      expect(resumed.notice).toBeNull();
      expect(resumed.timeline.map((t) => t.state)).toEqual(expect.arrayContaining(["paused", "resumed"]));
    }));

  test("not eligible says why in words; already newer is up to date", () =>
    withApp(backend, async (ctx) => {
      const { region } = await registerFleet(ctx, 3);
      const { version } = await draftRelease(ctx, region, [{ name: "all", share: 100 }], { eligibility: { regions: [region], hardware: ["HW4"] } });
      await ctx.request("POST", `/v1/releases/${version}/start`);
      const old = await json<RegisteredVehicle>(ctx.request("PUT", `/v1/vehicles/${randomVin()}`, { json: vehicleBody({ region, hardware: "HW3" }) }));
      const status = await json<Track>(track(ctx, old.ownerCode!));
      expect(status).toMatchObject({ state: "not_eligible", release: { version }, queue: null, eta: null });
      expect(status.reason).toMatch(/hardware HW3/);
      expect(status).toMatchObject({ reasonCode: "hardware" });
      const newer = await json<RegisteredVehicle>(ctx.request("PUT", `/v1/vehicles/${randomVin()}`, { json: vehicleBody({ region, firmware: "2999.1.1" }) }));
      expect((await json<Track>(track(ctx, newer.ownerCode!))).state).toBe("up_to_date");
    }));

  test("unknown, malformed and revoked codes reveal nothing; share links work until revoked or expired", () =>
    withApp(backend, async (ctx) => {
      const { vehicles } = await registerFleet(ctx, 1);
      const vin = vehicles[0]!.vin;
      expect((await track(ctx, "A".repeat(24))).status).toBe(404);
      expect((await track(ctx, "short")).status).toBe(400);
      const support = await ctx.keyFor("support");
      const link = await json<ShareLink>(
        ctx.request("POST", `/v1/vehicles/${vin}/share-links`, { token: support, json: { expiresInHours: 2 } }),
      );
      expect(link.url).toMatch(new RegExp(`/t/${link.code}$`));
      expect((await track(ctx, link.code)).status).toBe(200);
      // a share link may not change the owner's channel
      expect((await ctx.request("PUT", `/v1/track/${link.code}/channel`, { token: null, json: { channel: "beta" } })).status).toBe(403);
      ctx.clock.advance(3 * 3_600_000);
      expect((await track(ctx, link.code)).status).toBe(404);
      const second = await json<ShareLink>(ctx.request("POST", `/v1/vehicles/${vin}/share-links`, { token: support, json: { expiresInHours: 24 } }));
      expect((await ctx.request("DELETE", `/v1/vehicles/${vin}/share-links/${second.id}`, { token: support })).status).toBe(204);
      expect((await track(ctx, second.code)).status).toBe(404);
      expect((await ctx.request("DELETE", `/v1/vehicles/${vin}/share-links/${second.id}`, { token: support })).status).toBe(404);
      expect((await ctx.request("POST", `/v1/vehicles/${vin}/share-links`, { token: support, json: { expiresInHours: 0 } })).status).toBe(400);
    }));

  test("an owner opts in to beta and joins the beta release; the switch shows in the timeline", () =>
    withApp(backend, async (ctx) => {
      const { region, vehicles } = await registerFleet(ctx, 4);
      const beta = await draftRelease(ctx, region, [{ name: "all", share: 100, ratePerHour: 1 }], { channel: "beta" });
      await ctx.request("POST", `/v1/releases/${beta.version}/start`);
      const owner = vehicles[0]!;
      expect((await json<Track>(track(ctx, owner.ownerCode))).release).toBeNull();
      const switched = await ctx.request("PUT", `/v1/track/${owner.ownerCode}/channel`, { token: null, json: { channel: "beta" } });
      expect(switched.status).toBe(200);
      const status = (await switched.json()) as Track;
      expect(status).toMatchObject({ state: "queued", release: { version: beta.version }, queue: { position: 1, total: 1 } });
      expect(status.timeline.map((t) => t.state)).toContain("channel_changed");
      expect((await ctx.request("PUT", `/v1/track/${owner.ownerCode}/channel`, { token: null, json: { channel: "nightly" } })).status).toBe(400);
    }));

  test("the owner endpoint is rate-limited per client with standard headers", () =>
    withApp(backend, async (ctx) => {
      const peer = `203.0.113.${Math.floor(Math.random() * 250)}`;
      let last: Response | undefined;
      // A fresh X-Forwarded-For each time buys nothing: the budget is the connection's.
      for (let i = 0; i < 61; i++) last = await ctx.request("GET", `/v1/track/${"B".repeat(24)}`, { token: null, peer, headers: { "x-forwarded-for": `198.51.100.${i}` } });
      expect(last!.status).toBe(429);
      expect(last!.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(last!.headers.get("ratelimit")).toMatch(/limit=60/);
      expect(last!.headers.get("content-type")).toMatch(/problem\+json/);
      const other = await ctx.request("GET", `/v1/track/${"B".repeat(24)}`, { token: null, peer: "192.0.2.7" });
      expect(other.status).toBe(404);
    }));

  test("support links a case to the vehicle's release and wave; progress counts it", () =>
    withApp(backend, async (ctx) => {
      const { region, vehicles } = await registerFleet(ctx, 8);
      const { version } = await draftRelease(ctx, region, [{ name: "a", share: 50 }, { name: "b", share: 100 }]);
      await ctx.request("POST", `/v1/releases/${version}/start`);
      const support = await ctx.keyFor("support");
      const res = await ctx.request("POST", `/v1/vehicles/${vehicles[0]!.vin}/cases`, { token: support, json: { reference: "ZD-123456", summary: "Asks when" } });
      expect(res.status).toBe(201);
      const linked = (await res.json()) as SupportCase;
      expect(linked.version).toBe(version);
      expect((await ctx.request("POST", `/v1/vehicles/${vehicles[0]!.vin}/cases`, { token: support, json: { reference: "ZD-123456" } })).status).toBe(409);
      expect((await ctx.request("POST", `/v1/vehicles/${vehicles[0]!.vin}/cases`, { token: support, json: { reference: "" } })).status).toBe(400);
      const progress = await json<Progress>(ctx.request("GET", `/v1/releases/${version}/progress`));
      expect(progress.waves[linked.waveIndex! - 1]!.cases).toBe(1);
      const detail = await json<VehicleDetail>(ctx.request("GET", `/v1/vehicles/${vehicles[0]!.vin}`, { token: support }));
      expect(detail.cases.map((c) => c.reference)).toEqual(["ZD-123456"]);
    }));

  test("ETA honesty: in a simulated rollout at least 90% of offers land inside the range shown earlier", () =>
    withApp(backend, async (ctx) => {
      const { region, vehicles } = await registerFleet(ctx, 240);
      const { version } = await draftRelease(ctx, region, [
        { name: "canary", share: 5, autoAdvance: { minSuccessPercent: 80, soakMinutes: 30 } },
        { name: "early", share: 30, ratePerHour: 120, autoAdvance: { minSuccessPercent: 80, soakMinutes: 20 } },
        { name: "everyone", share: 100, ratePerHour: 300 },
      ]);
      await ctx.request("POST", `/v1/releases/${version}/start`);
      const gateway = await ctx.keyFor("gateway");
      const shown = new Map<string, { earliest: number; latest: number }>();
      const offers = async () =>
        new Map(
          rowsOf<{ vin: string; offered_at: string }>(
            await ctx.db.execute(sql`select v.vin, q.offered_at from queue_entries q join vehicles v on v.id = q.vehicle_id
              where q.release_id = (select id from releases where version = ${version}) and q.offered_at is not null`),
          ).map((r) => [r.vin, Date.parse(new Date(r.offered_at).toISOString())]),
        );
      // A minute-by-minute clock. Every hour each waiting owner looks at the page (we keep the first
      // range each saw); an offered car reports its install two minutes later.
      for (let minute = 0; minute <= 8 * 60; minute++) {
        const now = ctx.clock.now().getTime();
        const offered = await offers();
        if (offered.size === vehicles.length) break;
        if (minute % 60 === 0) {
          for (const v of vehicles) {
            if (offered.has(v.vin) || shown.has(v.vin)) continue;
            const res = await track(ctx, v.ownerCode);
            expect(res.status).toBe(200);
            const status = (await res.json()) as Track;
            if (status.eta) shown.set(v.vin, { earliest: Date.parse(status.eta.earliest), latest: Date.parse(status.eta.latest) });
          }
        }
        const due = [...offered].filter(([, t]) => t === now - 2 * 60_000);
        const reports = due.map(([vin]) => ({ eventId: crypto.randomUUID(), vin, version, state: "installed", at: new Date(now).toISOString() }));
        if (reports.length) await ctx.request("POST", "/v1/reports", { token: gateway, json: { reports } });
        ctx.clock.advance(60_000);
        await tickAll({ db: ctx.db, now: ctx.clock.now() });
      }
      const offeredAt = await offers();
      const judged = [...shown].filter(([vin]) => offeredAt.has(vin));
      expect(judged.length).toBeGreaterThan(150);
      const inside = judged.filter(([vin, r]) => offeredAt.get(vin)! >= r.earliest && offeredAt.get(vin)! <= r.latest);
      console.log(`ETA honesty: ${inside.length} of ${judged.length} offers inside the range shown (${((100 * inside.length) / judged.length).toFixed(1)}%)`);
      expect(inside.length / judged.length).toBeGreaterThanOrEqual(0.9);
    }), 120_000);
});

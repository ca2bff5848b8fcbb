import { describe, expect, test } from "vitest";
import type { Release } from "../../src/routes/releases/releases.schemas";
import type { ReportResults as Results } from "../../src/routes/reports/reports.schemas";
import type { QueuePage } from "../../src/routes/rollout/rollout.schemas";
import type { VehicleDetail } from "../../src/routes/vehicles/vehicles.schemas";
import { backends } from "../helpers/backends";
import { withApp } from "../helpers/app";
import { randomVin } from "../helpers/fleet";
import { draftRelease, json, registerFleet } from "../helpers/rollout";

const report = (vin: string, version: string, state: string, minute: number, extra: Record<string, unknown> = {}) => ({
  eventId: crypto.randomUUID(),
  vin,
  version,
  state,
  at: new Date(Date.UTC(2026, 10, 1, 8, minute)).toISOString(),
  ...extra,
});

async function rolledOut(ctx: Parameters<Parameters<typeof withApp>[1]>[0], count = 10, waves = [{ name: "all", share: 100 }]) {
  const fleet = await registerFleet(ctx, count);
  const { version } = await draftRelease(ctx, fleet.region, waves);
  await ctx.request("POST", `/v1/releases/${version}/start`);
  return { ...fleet, version, gateway: await ctx.keyFor("gateway") };
}

describe.each(backends)("vehicle reports ($name)", (backend) => {
  test("a gateway reports progress; installed updates the firmware and history", () =>
    withApp(backend, async (ctx) => {
      const { vehicles, version, gateway } = await rolledOut(ctx);
      const vin = vehicles[0]!.vin;
      const res = await json<Results>(
        ctx.request("POST", "/v1/reports", {
          token: gateway,
          json: { reports: [report(vin, version, "downloading", 1), report(vin, version, "installing", 2), report(vin, version, "installed", 3)] },
        }),
      );
      expect(res).toMatchObject({ accepted: 3, duplicates: 0, rejected: 0 });
      const detail = await json<VehicleDetail>(ctx.request("GET", `/v1/vehicles/${vin}`));
      expect(detail.vehicle.firmware).toBe(version);
      expect(detail.vehicle.lastSeenAt).toBe("2026-11-01T08:03:00.000Z");
      expect(detail.history[0]).toMatchObject({ to: version, source: "install" });
      expect(detail.events).toHaveLength(3);
      const release = await json<Release>(ctx.request("GET", `/v1/releases/${version}`));
      expect(release.counts).toMatchObject({ installed: 1, offered: 9 });
    }));

  test("duplicates and reordering never corrupt a state", () =>
    withApp(backend, async (ctx) => {
      const { vehicles, version, gateway } = await rolledOut(ctx);
      ctx.clock.advance(60 * 60_000);
      const vin = vehicles[0]!.vin;
      const installed = report(vin, version, "installed", 10);
      await ctx.request("POST", "/v1/reports", { token: gateway, json: installed });
      const again = await json<Results>(ctx.request("POST", "/v1/reports", { token: gateway, json: { reports: [installed, report(vin, version, "downloading", 5)] } }));
      expect(again.results.map((r) => r.status)).toEqual(["duplicate", "accepted"]);
      const inBatch = report(vin, version, "failed", 11);
      const twice = await json<Results>(ctx.request("POST", "/v1/reports", { token: gateway, json: { reports: [inBatch, inBatch] } }));
      expect(twice.results.map((r) => r.status)).toEqual(["accepted", "duplicate"]);
      const release = await json<Release>(ctx.request("GET", `/v1/releases/${version}`));
      expect(release.counts).toMatchObject({ installed: 1, downloading: 0, failed: 0 });
    }));

  test("a batch is judged per report: unknown VINs, releases and malformed items are rejected with reasons", () =>
    withApp(backend, async (ctx) => {
      const { vehicles, version, gateway } = await rolledOut(ctx);
      const res = await json<Results>(
        ctx.request("POST", "/v1/reports", {
          token: gateway,
          json: {
            reports: [
              report(vehicles[0]!.vin, version, "downloading", 1),
              report(randomVin(), version, "downloading", 1),
              report(vehicles[1]!.vin, "2999.99.99", "downloading", 1),
              { ...report(vehicles[2]!.vin, version, "exploded", 1) },
              { eventId: "not-a-uuid", vin: vehicles[3]!.vin },
              report(vehicles[4]!.vin, version, "downloading", 1, { at: "2099-01-01T00:00:00Z" }),
            ],
          },
        }),
      );
      expect(res.results.map((r) => r.status)).toEqual(["accepted", "rejected", "rejected", "rejected", "rejected", "rejected"]);
      expect(res.results[1]!.reason).toMatch(/no vehicle/);
      expect(res.results[2]!.reason).toMatch(/no release/);
      expect(res.results[3]!.reason).toMatch(/state/);
      expect(res.results[5]!.reason).toMatch(/future/);
    }));

  test("a device token reports for its own vehicle only", () =>
    withApp(backend, async (ctx) => {
      const { vehicles, version } = await rolledOut(ctx);
      const [mine, other] = vehicles;
      const own = await ctx.request("POST", "/v1/reports", { token: mine!.deviceToken, json: report(mine!.vin, version, "downloading", 1) });
      expect(own.status).toBe(200);
      const foreign = await ctx.request("POST", "/v1/reports", { token: mine!.deviceToken, json: report(other!.vin, version, "installed", 1) });
      expect(foreign.status).toBe(403);
      const support = await ctx.keyFor("support");
      expect((await ctx.request("POST", "/v1/reports", { token: support, json: report(mine!.vin, version, "installed", 2) })).status).toBe(403);
      expect((await ctx.request("POST", "/v1/reports", { token: null, json: report(mine!.vin, version, "installed", 2) })).status).toBe(401);
      const release = await json<Release>(ctx.request("GET", `/v1/releases/${version}`));
      expect(release.counts.installed).toBe(0);
    }));

  test("malformed bodies are 400: a bad single report, an empty or oversized batch", () =>
    withApp(backend, async (ctx) => {
      const gateway = await ctx.keyFor("gateway");
      expect((await ctx.request("POST", "/v1/reports", { token: gateway, json: { vin: "x" } })).status).toBe(400);
      expect((await ctx.request("POST", "/v1/reports", { token: gateway, json: { reports: [] } })).status).toBe(400);
      const many = Array.from({ length: 1001 }, () => ({ a: 1 }));
      expect((await ctx.request("POST", "/v1/reports", { token: gateway, json: { reports: many } })).status).toBe(400);
    }));

  test("failure reports trip the safety rule at once", () =>
    withApp(backend, async (ctx) => {
      const { vehicles, version, gateway } = await rolledOut(ctx, 20, [
        { name: "canary", share: 50, stopAt: { maxFailurePercent: 20, minSample: 4, action: "halt" } } as never,
        { name: "rest", share: 100 },
      ]);
      const queue = await json<QueuePage>(ctx.request("GET", `/v1/releases/${version}/queue?wave=1`));
      const canary = queue.entries.map((e) => e.vin);
      const reports = canary.slice(0, 4).map((vin, i) => report(vin, version, i < 2 ? "failed" : "installed", 5));
      await ctx.request("POST", "/v1/reports", { token: gateway, json: { reports } });
      const release = await json<Release & { haltReason: string }>(ctx.request("GET", `/v1/releases/${version}`));
      expect(release.state).toBe("halted");
      expect(release.haltReason).toMatch(/failure rate 50\.0% is above 20%/);
      expect(vehicles).toHaveLength(20);
    }));
});

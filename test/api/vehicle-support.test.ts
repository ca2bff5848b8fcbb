import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { rowsOf } from "../../src/db/rows";
import { backends } from "../helpers/backends";
import { type TestContext, withApp } from "../helpers/app";
import { draftRelease, json, registerFleet } from "../helpers/rollout";

type Detail = { vehicle: { vin: string }; status: Record<string, unknown>; answer: { en: string; nl: string; de: string } };

const track = (ctx: TestContext, code: string, query = "") => ctx.request("GET", `/v1/track/${code}${query}`, { token: null, peer: `owner-${code}` });

describe.each(backends)("support reads a vehicle ($name)", (backend) => {
  test("a release manager may read a vehicle, and the read is audited with the reader; gateway and device may not", () =>
    withApp(backend, async (ctx) => {
      const { vehicles } = await registerFleet(ctx, 1);
      const vin = vehicles[0]!.vin;
      const manager = await ctx.keyFor("release_manager");
      const res = await ctx.request("GET", `/v1/vehicles/${vin}`, { token: manager });
      expect(res.status).toBe(200);
      expect((await json<Detail>(res)).vehicle.vin).toBe(vin);
      const audit = rowsOf(await ctx.db.execute(sql`select a.actor from audit_log a join vehicles v on v.id = a.vehicle_id where a.action = 'vehicle.viewed' and v.vin = ${vin}`));
      expect(audit.map((r) => String(r.actor))).toEqual([expect.stringContaining("test release_manager")]);

      const gateway = await ctx.keyFor("gateway");
      for (const token of [gateway, vehicles[0]!.deviceToken]) {
        const refused = await ctx.request("GET", `/v1/vehicles/${vin}`, { token });
        expect([401, 403]).toContain(refused.status);
        expect(refused.headers.get("content-type")).toContain("application/problem+json");
      }
      expect((await ctx.request("GET", `/v1/vehicles/${vin}`, { token: gateway })).status).toBe(403);
    }));
});

describe.each(backends)("support answers ($name)", (backend) => {
  test("status is exactly the owner's /v1/track answer at the same moment, and the answer comes in en, nl and de", () =>
    withApp(backend, async (ctx) => {
      const { region, vehicles } = await registerFleet(ctx, 12);
      const { version } = await draftRelease(ctx, region, [
        { name: "first", share: 25 },
        { name: { en: "everyone", nl: "iedereen", de: "alle" } as unknown as string, share: 100, ratePerHour: 4, startAt: "2026-11-01T10:00:00Z" },
      ]);
      await ctx.request("POST", `/v1/releases/${version}/start`);
      const support = await ctx.keyFor("support");
      const queue = await json<{ entries: { position: number; vin: string }[] }>(ctx.request("GET", `/v1/releases/${version}/queue?limit=100`));
      const owner = vehicles.find((v) => v.vin === queue.entries.at(-1)!.vin)!;

      const detail = await json<Detail>(ctx.request("GET", `/v1/vehicles/${owner.vin}`, { token: support }));
      const owners = await json(track(ctx, owner.ownerCode));
      expect(detail.status).toEqual(owners);
      expect(detail.status).toMatchObject({ state: "queued", queue: { position: 12, wave: { index: 2, name: "everyone" } } });
      expect(detail.answer.en).toContain("number 12 of 12");
      expect(detail.answer.en).toMatch(/between \d\d:\d\d CET and \d\d:\d\d CET on 1 November/);
      expect(detail.answer.nl).toContain('in golf 2 ("iedereen")');
      expect(detail.answer.de).toContain('in Welle 2 ("alle")');

      // Paused: the same again, and the answer gives the notice in each language instead of an ETA.
      await ctx.request("POST", `/v1/releases/${version}/pause`, { json: { message: { en: "Checking chargers", nl: "We controleren laders", de: "Wir prüfen Ladegeräte" } } });
      // The owner's answer may be kept up to its cache bound (TRACK_CACHE_MS, 2 s): compare once it has passed.
      ctx.clock.advance(2_001);
      const paused = await json<Detail>(ctx.request("GET", `/v1/vehicles/${owner.vin}`, { token: support }));
      expect(paused.status).toEqual(await json(track(ctx, owner.ownerCode)));
      expect(paused.status).toMatchObject({ eta: null, notice: { kind: "paused", message: "Checking chargers" } });
      expect(paused.answer.en).toContain('paused at the moment ("Checking chargers")');
      expect(paused.answer.nl).toContain("We controleren laders");
      expect(paused.answer.de).toContain("Wir prüfen Ladegeräte");
    }));

  test("a failed install: the answer names the error code the car reported", () =>
    withApp(backend, async (ctx) => {
      const { region, vehicles } = await registerFleet(ctx, 1);
      const { version } = await draftRelease(ctx, region, [{ name: "all", share: 100 }]);
      await ctx.request("POST", `/v1/releases/${version}/start`);
      const vin = vehicles[0]!.vin;
      const report = await ctx.request("POST", "/v1/reports", { token: vehicles[0]!.deviceToken, json: { eventId: crypto.randomUUID(), vin, version, state: "failed", at: "2026-11-01T08:00:00Z", errorCode: "E_BATT_LOW" } });
      expect(report.status).toBeLessThan(300);
      const detail = await json<Detail>(ctx.request("GET", `/v1/vehicles/${vin}`));
      expect(detail.status).toEqual(await json(track(ctx, vehicles[0]!.ownerCode)));
      expect(detail.status.state).toBe("failed");
      expect(detail.answer.en).toContain("error code E_BATT_LOW");
      expect(detail.answer.nl).toContain("foutcode E_BATT_LOW");
      expect(detail.answer.de).toContain("Fehlercode E_BATT_LOW");
    }));
});

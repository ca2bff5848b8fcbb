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

import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { rowsOf } from "../../src/db/rows";
import type { RegisteredVehicle as Registered, VehicleDetail } from "../../src/routes/vehicles/vehicles.schemas";
import { backends } from "../helpers/backends";
import { withApp } from "../helpers/app";
import { randomVin, vehicleBody } from "../helpers/fleet";

describe.each(backends)("vehicles ($name)", (backend) => {
  test("registering returns the owner code and device token once; updating does not", () =>
    withApp(backend, async ({ request, keyFor }) => {
      const manager = await keyFor("release_manager");
      const vin = randomVin();
      const created = await request("PUT", `/v1/vehicles/${vin}`, { token: manager, json: vehicleBody() });
      expect(created.status).toBe(201);
      const first = (await created.json()) as Registered;
      expect(first.vehicle).toMatchObject({ vin, model: "model3", firmware: "2026.38.2", channel: "stable" });
      // at least 128 bits: 24 base64url characters carry 144
      expect(first.ownerCode).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(first.deviceToken).toMatch(/^rtd_[A-Za-z0-9_-]{24}$/);

      const updated = await request("PUT", `/v1/vehicles/${vin}`, { token: manager, json: vehicleBody({ firmware: "2026.40.0" }) });
      expect(updated.status).toBe(200);
      const second = (await updated.json()) as Registered;
      expect(second.ownerCode).toBeUndefined();
      expect(second.deviceToken).toBeUndefined();
      expect(second.vehicle.firmware).toBe("2026.40.0");
    }));

  test("codes are stored as hashes only", () =>
    withApp(backend, async ({ request, db }) => {
      const vin = randomVin();
      const { ownerCode, deviceToken } = (await (await request("PUT", `/v1/vehicles/${vin}`, { json: vehicleBody() })).json()) as Registered;
      const [row] = rowsOf(await db.execute(sql`select * from vehicles where vin = ${vin}`));
      const text = JSON.stringify(row);
      expect(text).not.toContain(ownerCode);
      expect(text).not.toContain(deviceToken);
    }));

  test("a lower-case VIN in the path is the same vehicle", () =>
    withApp(backend, async ({ request }) => {
      const vin = randomVin();
      expect((await request("PUT", `/v1/vehicles/${vin.toLowerCase()}`, { json: vehicleBody() })).status).toBe(201);
      expect((await request("PUT", `/v1/vehicles/${vin}`, { json: vehicleBody() })).status).toBe(200);
    }));

  test("support sees the vehicle with its firmware history; the read is audited", () =>
    withApp(backend, async ({ request, keyFor, db }) => {
      const vin = randomVin();
      await request("PUT", `/v1/vehicles/${vin}`, { json: vehicleBody() });
      await request("PUT", `/v1/vehicles/${vin}`, { json: vehicleBody({ firmware: "2026.41.3" }) });
      const support = await keyFor("support");
      const res = await request("GET", `/v1/vehicles/${vin}`, { token: support });
      expect(res.status).toBe(200);
      const detail = (await res.json()) as VehicleDetail;
      expect(detail.vehicle).toMatchObject({ vin, firmware: "2026.41.3" });
      expect(detail.vehicle).not.toHaveProperty("ownerCodeHash");
      expect(detail.history.map((h) => [h.from, h.to])).toEqual([
        ["2026.38.2", "2026.41.3"],
        [null, "2026.38.2"],
      ]);
      const audit = rowsOf(await db.execute(sql`select actor from audit_log where action = 'vehicle.viewed'`));
      expect(audit.some((r) => String(r.actor).includes("test support"))).toBe(true);
    }));

  test("roles: support may not register, a release manager may; unknown VIN is 404", () =>
    withApp(backend, async ({ request, keyFor }) => {
      const support = await keyFor("support");
      expect((await request("PUT", `/v1/vehicles/${randomVin()}`, { token: support, json: vehicleBody() })).status).toBe(403);
      expect((await request("GET", `/v1/vehicles/${randomVin()}`, { token: support })).status).toBe(404);
    }));

  test.each([
    ["model", ""],
    ["hardware", "HW 4"],
    ["region", 12],
    ["cohort", "vip"],
    ["firmware", "2026.44"],
    ["firmware", "latest"],
  ])("rejects %s = %j and changes nothing", (field, value) =>
    withApp(backend, async ({ request }) => {
      const vin = randomVin();
      const res = await request("PUT", `/v1/vehicles/${vin}`, { json: vehicleBody({ [field]: value }) });
      if (field === "firmware" && value === "2026.44") {
        // two parts is a valid version
        expect(res.status).toBe(201);
        return;
      }
      expect(res.status).toBe(400);
      const body = (await res.json()) as { errors: { field: string }[] };
      expect(body.errors.map((e) => e.field)).toContain(field);
      expect((await request("GET", `/v1/vehicles/${vin}`)).status).toBe(404);
    }),
  );
});

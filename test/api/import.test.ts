import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { rowsOf } from "../../src/db/rows";
import type { AnyImportLine as Line } from "../helpers/api-types";
import { backends } from "../helpers/backends";
import { withApp } from "../helpers/app";
import { randomVin, vehicleBody } from "../helpers/fleet";

const ndjson = (rows: unknown[]) => rows.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n");
const parse = async (res: Response) => (await res.text()).trim().split("\n").map((l) => JSON.parse(l) as Line);

describe.each(backends)("vehicle import ($name)", (backend) => {
  test("valid lines land, bad lines are reported by number, codes come back once", () =>
    withApp(backend, async ({ request, keyFor, db }) => {
      const manager = await keyFor("release_manager");
      const existing = randomVin();
      await request("PUT", `/v1/vehicles/${existing}`, { token: manager, json: vehicleBody() });
      const fresh = [randomVin(), randomVin()];
      const body = ndjson([
        { vin: fresh[0], ...vehicleBody() },
        "{not json",
        { vin: existing, ...vehicleBody({ firmware: "2026.44.1" }) },
        { vin: "SHORT", ...vehicleBody() },
        "",
        { vin: fresh[1], ...vehicleBody({ cohort: "employee", channel: "beta" }) },
        { vin: randomVin(), ...vehicleBody({ cohort: "vip" }) },
      ]);
      const res = await request("POST", "/v1/vehicles/import", { token: manager, body, headers: { "content-type": "application/x-ndjson" } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/application\/x-ndjson/);
      const lines = await parse(res);
      const summary = lines.pop()!.summary;
      expect(summary).toEqual({ lines: 7, created: 2, updated: 1, rejected: 3, committed: true });

      const byLine = new Map(lines.map((l) => [l.line, l]));
      expect(byLine.get(1)).toMatchObject({ vin: fresh[0], result: "created" });
      expect(byLine.get(1)!.ownerCode).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(byLine.get(2)).toMatchObject({ result: "rejected", detail: "not valid JSON" });
      expect(byLine.get(3)).toEqual({ line: 3, vin: existing, result: "updated" });
      expect(byLine.get(4)).toMatchObject({ result: "rejected", detail: expect.stringContaining("vin") });
      expect(byLine.get(6)).toMatchObject({ vin: fresh[1], result: "created" });
      expect(byLine.get(7)).toMatchObject({ result: "rejected", detail: expect.stringContaining("cohort") });

      const [updated] = rowsOf(await db.execute(sql`select firmware from vehicles where vin = ${existing}`));
      expect(updated!.firmware).toBe("2026.44.1");
      const history = rowsOf(await db.execute(sql`select from_firmware, to_firmware from firmware_changes fc join vehicles v on v.id = fc.vehicle_id where v.vin = ${existing} order by fc.id`));
      expect(history).toEqual([{ from_firmware: "2026.38.2", to_firmware: "2026.44.1" }]);
    }));

  test("the imported owner code and device token are the ones stored (as their SHA-256)", () =>
    withApp(backend, async ({ request, db }) => {
      const vin = randomVin();
      const res = await request("POST", "/v1/vehicles/import", { body: ndjson([{ vin, ...vehicleBody() }]), headers: { "content-type": "application/x-ndjson" } });
      const [line] = await parse(res);
      const [row] = rowsOf(await db.execute(sql`
        select owner_code_hash = encode(sha256(convert_to(${line!.ownerCode!}, 'UTF8')), 'hex') as owner_ok,
               device_token_hash = encode(sha256(convert_to(${line!.deviceToken!}, 'UTF8')), 'hex') as device_ok
        from vehicles where vin = ${vin}`));
      expect(row).toEqual({ owner_ok: true, device_ok: true });
      // and the device token authenticates as that vehicle (not as a key with a role)
      const asDevice = await request("GET", "/v1/releases", { token: line!.deviceToken! });
      expect(asDevice.status).toBe(403);
    }));

  test("a VIN twice in one file is applied in order, like line by line", () =>
    withApp(backend, async ({ request, db }) => {
      const vin = randomVin();
      const res = await request("POST", "/v1/vehicles/import", {
        body: ndjson([{ vin, ...vehicleBody() }, { vin, ...vehicleBody({ firmware: "2026.50.0" }) }]),
        headers: { "content-type": "application/x-ndjson" },
      });
      const lines = await parse(res);
      expect(lines.slice(0, 2).map((l) => l.result)).toEqual(["created", "updated"]);
      const [row] = rowsOf(await db.execute(sql`select firmware from vehicles where vin = ${vin}`));
      expect(row!.firmware).toBe("2026.50.0");
    }));

  test("thousands of lines across several batches, with an over-long line rejected", () =>
    withApp(backend, async ({ request, db }) => {
      const vins = Array.from({ length: 12_000 }, randomVin);
      const rows: unknown[] = vins.map((vin) => ({ vin, ...vehicleBody() }));
      rows.splice(5000, 0, JSON.stringify({ vin: randomVin(), ...vehicleBody({ model: "x".repeat(10_000) }) }));
      const res = await request("POST", "/v1/vehicles/import", { body: ndjson(rows), headers: { "content-type": "application/x-ndjson" } });
      const lines = await parse(res);
      const summary = lines.at(-1)!.summary!;
      expect(summary).toMatchObject({ lines: 12_001, rejected: 1, committed: true });
      expect((summary.created) + (summary.updated)).toBe(12_000);
      expect(lines.find((l) => l.line === 5001)).toMatchObject({ result: "rejected" });
      const [count] = rowsOf(await db.execute(sql`select count(*)::int as n from vehicles where vin in (select json_array_elements_text(${JSON.stringify(vins)}::json))`));
      expect(count!.n).toBe(12_000);
    }));

  test("wrong content type is 415, support may not import", () =>
    withApp(backend, async ({ request, keyFor }) => {
      const body = ndjson([{ vin: randomVin(), ...vehicleBody() }]);
      expect((await request("POST", "/v1/vehicles/import", { body, headers: { "content-type": "application/json" } })).status).toBe(415);
      const support = await keyFor("support");
      expect((await request("POST", "/v1/vehicles/import", { token: support, body, headers: { "content-type": "application/x-ndjson" } })).status).toBe(403);
    }));
});

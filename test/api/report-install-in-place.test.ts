import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { rowsOf } from "../../src/db/rows";
import type { ReportResults } from "../../src/routes/reports/reports.schemas";
import { backends } from "../helpers/backends";
import { withApp } from "../helpers/app";
import { draftRelease, json, registerFleet } from "../helpers/rollout";

// Issue #11: an install rewrites its car's row. Imported pages keep room for
// that new version (migration 0010), so it stays on its page (a HOT update:
// none of the four indexes of vehicles gets a new entry). On pages filled to
// the brim it moved elsewhere and every index was written.
describe.each(backends)("an install keeps its car's row on its page ($name)", (backend) => {
  test("imported cars that install stay where they were", () =>
    withApp(backend, async (ctx) => {
      const { region, vehicles } = await registerFleet(ctx, 90);
      const { version } = await draftRelease(ctx, region, [{ name: "all", share: 100 }]);
      await ctx.request("POST", `/v1/releases/${version}/start`);
      const gateway = await ctx.keyFor("gateway");
      // Cars far apart in the import, so on different pages (about 29 rows fit on one).
      const vins = [vehicles[0]!.vin, vehicles[45]!.vin, vehicles[89]!.vin];
      const pages = async () =>
        rowsOf<{ vin: string; page: string }>(
          await ctx.db.execute(sql`select vin, (ctid::text::point)[0]::text as page from vehicles where vin = any(${`{${vins.join(",")}}`}::text[]) order by vin`),
        );
      const before = await pages();
      const at = new Date(Date.UTC(2026, 10, 1, 8, 1)).toISOString();
      const answer = await json<ReportResults>(
        ctx.request("POST", "/v1/reports", { token: gateway, json: { reports: vins.map((vin) => ({ eventId: crypto.randomUUID(), vin, version, state: "installed", at })) } }),
      );
      expect(answer.accepted).toBe(3);
      const firmware = rowsOf<{ firmware: string }>(await ctx.db.execute(sql`select firmware from vehicles where vin = any(${`{${vins.join(",")}}`}::text[])`));
      expect(firmware.map((f) => f.firmware)).toEqual([version, version, version]);
      expect(await pages()).toEqual(before);
    }));
});

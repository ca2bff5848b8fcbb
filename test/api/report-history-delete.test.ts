import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { rowsOf } from "../../src/db/rows";
import type { ReportResults } from "../../src/routes/reports/reports.schemas";
import { backends } from "../helpers/backends";
import { type TestContext, withApp } from "../helpers/app";
import { draftRelease, json, registerFleet } from "../helpers/rollout";

// Reports and firmware history have no foreign keys (they cost a third of a
// report batch: migration report_rows_without_fk_checks). What the keys'
// ON DELETE CASCADE did must still happen: deleting a vehicle or a release
// leaves none of its reports or history behind.

async function installedCar(ctx: TestContext) {
  const { region, vehicles } = await registerFleet(ctx, 3);
  const { version } = await draftRelease(ctx, region, [{ name: "all", share: 100 }]);
  await ctx.request("POST", `/v1/releases/${version}/start`);
  const gateway = await ctx.keyFor("gateway");
  const at = ctx.clock.now().toISOString();
  const reports = vehicles.map(({ vin }) => ({ eventId: crypto.randomUUID(), vin, version, state: "installed", at }));
  const res = await json<ReportResults>(ctx.request("POST", "/v1/reports", { token: gateway, json: { reports } }));
  expect(res.accepted).toBe(3);
  return { version, vins: vehicles.map((v) => v.vin) };
}

const left = async (ctx: TestContext, vins: string[], version: string) =>
  rowsOf<{ events: number; history: number; of_release: number }>(
    await ctx.db.execute(sql`
      with cars as (select id from vehicles where vin in (select json_array_elements_text(${JSON.stringify(vins)}::json)))
      select (select count(*) from update_events where vehicle_id in (select id from cars))::int as events,
             (select count(*) from firmware_changes where vehicle_id in (select id from cars))::int as history,
             (select count(*) from update_events e join releases r on r.id = e.release_id where r.version = ${version})::int as of_release`),
  )[0];

describe.each(backends)("deleting what reports belong to ($name)", (backend) => {
  test("a deleted vehicle takes its reports and firmware history with it", () =>
    withApp(backend, async (ctx) => {
      const { version, vins } = await installedCar(ctx);
      const ids = rowsOf<{ id: string }>(await ctx.db.execute(sql`select id::text from vehicles where vin = ${vins[0]!}`)).map((r) => r.id);
      expect(await left(ctx, vins.slice(0, 1), version)).toMatchObject({ events: 1, history: 1 });
      await ctx.db.execute(sql`delete from vehicles where vin = ${vins[0]!}`);
      const orphans = rowsOf<{ n: number }>(
        await ctx.db.execute(sql`select ((select count(*) from update_events where vehicle_id = ${ids[0]!}::bigint) + (select count(*) from firmware_changes where vehicle_id = ${ids[0]!}::bigint))::int as n`),
      );
      expect(orphans[0]?.n).toBe(0);
      // The other cars keep theirs.
      expect(await left(ctx, vins.slice(1), version)).toMatchObject({ events: 2, history: 2 });
    }));

  test("a deleted release takes its reports with it", () =>
    withApp(backend, async (ctx) => {
      const { version } = await installedCar(ctx);
      const [release] = rowsOf<{ id: number }>(await ctx.db.execute(sql`select id from releases where version = ${version}`));
      await ctx.db.execute(sql`delete from queue_entries where release_id = ${release!.id}`);
      await ctx.db.execute(sql`delete from releases where id = ${release!.id}`);
      const orphans = rowsOf<{ n: number }>(await ctx.db.execute(sql`select count(*)::int as n from update_events where release_id = ${release!.id}`));
      expect(orphans[0]?.n).toBe(0);
    }));
});

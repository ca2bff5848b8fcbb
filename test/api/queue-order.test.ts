import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { rowsOf } from "../../src/db/rows";
import { type Cohort, cohortsInQueueOrder, positionsFor } from "../../src/domain/queue-order";
import type { ImportAnswerLine } from "../../src/routes/vehicles/vehicles.schemas";
import { shuffleKeySql } from "../../src/services/queue-order-sql";
import { backends } from "../helpers/backends";
import { withApp } from "../helpers/app";
import { randomVin, vehicleBody } from "../helpers/fleet";
import { draftRelease, registerFleet } from "../helpers/rollout";

const cohortOf = () => cohortsInQueueOrder[Math.floor(Math.random() * cohortsInQueueOrder.length)]!;

// Both statements that hand out positions (the start and the late joiners of one
// import) place vehicles exactly where the domain's queue order does.
describe.each(backends)("queue order of the stored queue ($name)", (backend) => {
  test("the start and a batch of late joiners follow positionsFor", () =>
    withApp(backend, async (ctx) => {
      const { region } = await registerFleet(ctx, 30, () => ({ cohort: cohortOf() }));
      const { version } = await draftRelease(ctx, region, [{ name: "all", share: 100, ratePerHour: 1 }]);
      expect((await ctx.request("POST", `/v1/releases/${version}/start`)).status).toBe(200);
      const joiners = Array.from({ length: 20 }, () => JSON.stringify({ vin: randomVin(), ...vehicleBody({ region, cohort: cohortOf() }) }));
      const imported = await ctx.request("POST", "/v1/vehicles/import", { body: joiners.join("\n"), headers: { "content-type": "application/x-ndjson" } });
      // The answer streams: reading it to the end is what runs the import.
      const answers = (await imported.text()).trim().split("\n").map((line) => JSON.parse(line) as ImportAnswerLine);
      expect(answers.filter((a) => "result" in a && a.result === "created")).toHaveLength(20);

      const [release] = rowsOf<{ seed: number }>(await ctx.db.execute(sql`select seed from releases where version = ${version}`));
      const seed = release!.seed;
      const rows = rowsOf<{ id: string; cohort: Cohort; shuffle_key: string; position: number }>(
        await ctx.db.execute(sql`select v.id::text as id, v.cohort::text as cohort, ${shuffleKeySql(seed)}::text as shuffle_key, q.position
          from queue_entries q join releases r on r.id = q.release_id join vehicles v on v.id = q.vehicle_id
          where r.version = ${version} order by q.position`),
      );
      expect(rows.map((r) => r.position)).toEqual(rows.map((_, i) => i + 1));
      const entries = rows.map((r) => ({ vehicleId: Number(r.id), cohort: r.cohort, shuffleKey: BigInt(r.shuffle_key), position: r.position }));
      const [first, late] = [entries.slice(0, 30), entries.slice(30)];
      expect(late).toHaveLength(20);
      expect(positionsFor(first).map((e) => e.vehicleId)).toEqual(first.map((e) => e.vehicleId));
      expect(positionsFor(late).map((e) => e.vehicleId)).toEqual(late.map((e) => e.vehicleId));
    }));
});

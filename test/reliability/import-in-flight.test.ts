import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, describe, expect, test } from "vitest";
import { connectPostgres } from "../../src/db/postgres";
import { rowsOf } from "../../src/db/rows";
import { type ImportLineResult, importVehicles } from "../../src/services/import-vehicles";
import type { VehicleInput } from "../../src/services/vehicles";
import { randomVin, vehicleBody } from "../helpers/fleet";

// On Postgres two import batches are in flight: the second's upsert runs while
// the first is still landing, but it commits (and is answered) only after the
// first. A transaction of the test holds the first batch up on a row lock.

const url = process.env.DATABASE_URL;

describe.skipIf(!url)("import batches in flight (postgres)", () => {
  const app = connectPostgres(url!, { max: 4 });
  const other = postgres(url!, { max: 2, onnotice: () => {} });
  afterAll(async () => {
    await app.close();
    await other.end();
  });

  const existing = async () => {
    const vin = randomVin();
    await other`insert into vehicles (vin, model, hardware, region, channel, cohort, firmware, owner_code_hash, device_token_hash)
                values (${vin}, 'model3', 'HW4', 'NL', 'stable', 'standard', '2026.38.2', ${randomVin()}, ${randomVin()})`;
    return vin;
  };

  /** Imports `vins` in batches of two, collecting what is answered as it is answered. */
  function startImport(vins: string[]) {
    const answered: ImportLineResult[] = [];
    async function* lines() {
      for (const vin of vins) yield [JSON.stringify({ vin, ...vehicleBody({ model: "imported" }) })];
    }
    const summary = importVehicles({
      db: app.db,
      lines: lines(),
      parseLine: (text) => ({ ok: true, row: JSON.parse(text) as VehicleInput & { vin: string } }),
      actor: "test",
      at: new Date(),
      batchSize: 2,
      emit: (results) => Promise.resolve(void answered.push(...results)),
    });
    return { answered, summary };
  }

  /** True once someone holds `vin`'s row or its uncommitted insert: then a write to it cannot take it at once. */
  const held = async (vin: string) => {
    try {
      await other.begin(async (tx) => {
        await tx`set local lock_timeout = '100ms'`;
        await tx`insert into vehicles (vin, model, hardware, region, channel, cohort, firmware, owner_code_hash, device_token_hash)
                 values (${vin}, 'probe', 'HW4', 'NL', 'stable', 'standard', '2026.38.2', 'probe', 'probe')
                 on conflict (vin) do update set model = vehicles.model`;
        throw new Error("rollback");
      });
    } catch (error) {
      return (error as { code?: string }).code === "55P03";
    }
    return false;
  };
  const eventually = async (check: () => Promise<boolean>, ms = 5000) => {
    for (const until = Date.now() + ms; Date.now() < until; await new Promise((r) => setTimeout(r, 50))) if (await check()) return true;
    return false;
  };

  test("the second batch upserts while the first is held up, and is answered only after it", async () => {
    const blocked = await existing();
    const vins = [blocked, randomVin(), randomVin(), randomVin()];
    const holder = await other.reserve();
    try {
      await holder`begin`;
      await holder`select 1 from vehicles where vin = ${blocked} for update`;
      const run = startImport(vins);
      expect(await eventually(() => held(vins[2]!)), "the second batch's upsert should run while the first waits").toBe(true);
      expect(run.answered).toEqual([]);
      await holder`commit`;
      expect(await run.summary).toEqual({ lines: 4, created: 3, updated: 1, rejected: 0, committed: true });
      expect(run.answered.map((r) => r.line)).toEqual([1, 2, 3, 4]);
    } finally {
      await holder`rollback`.catch(() => {});
      holder.release();
    }
  });

  test("a second batch that waits on the first gives way instead of closing a cycle Postgres cannot see", { timeout: 20_000 }, async () => {
    // The holder locks a car of the first batch, then waits for a car of the second:
    // the first waits on the holder, the holder on the second, the second on the first.
    const [first, second] = [await existing(), await existing()];
    const holder = await other.reserve();
    try {
      await holder`begin`;
      await holder`update vehicles set model = 'holder' where vin = ${first}`;
      const run = startImport([first, randomVin(), second, randomVin()]);
      expect(await eventually(() => held(second))).toBe(true);
      await holder`update vehicles set model = 'holder' where vin = ${second}`;
      await holder`commit`;
      expect(await run.summary).toMatchObject({ lines: 4, created: 2, updated: 2, committed: true });
      const models = rowsOf<{ model: string }>(await app.db.execute(sql`select model from vehicles where vin in (${first}, ${second})`));
      expect(models.map((m) => m.model)).toEqual(["imported", "imported"]);
    } finally {
      await holder`rollback`.catch(() => {});
      holder.release();
    }
  });

  // The batch looks its VINs up, then inserts the new ones and updates the others:
  // a car created or deleted by someone else in between makes it roll back and run again.
  const importWaits = async () =>
    rowsOf<{ n: number }>(
      await app.db.execute(sql`select count(*)::int as n from pg_stat_activity
                               where datname = current_database() and wait_event_type = 'Lock' and query like '%insert into vehicles%'`),
    )[0]?.n === 1;

  /** Imports `vins` while the holder's uncommitted `hold` is in the way of the batch's writes, then commits it. */
  async function importDuring(hold: (holder: postgres.ReservedSql) => Promise<unknown>, vins: string[]) {
    const holder = await other.reserve();
    try {
      await holder`begin`;
      await hold(holder);
      const run = startImport(vins);
      expect(await eventually(importWaits)).toBe(true);
      await holder`commit`;
      const summary = await run.summary;
      const models = rowsOf<{ model: string }>(await app.db.execute(sql`select model from vehicles where vin = ${vins[0]!}`));
      return { summary, results: run.answered.map((r) => r.result), models };
    } finally {
      await holder`rollback`.catch(() => {});
      holder.release();
    }
  }

  test("a car created by someone else while the batch runs is updated, not a failed import", async () => {
    const racing = randomVin();
    const run = await importDuring(
      (holder) => holder`insert into vehicles (vin, model, hardware, region, channel, cohort, firmware, owner_code_hash, device_token_hash)
                         values (${racing}, 'put', 'HW4', 'NL', 'stable', 'standard', '2026.38.2', ${randomVin()}, ${randomVin()})`,
      [racing, randomVin()],
    );
    expect(run.summary).toEqual({ lines: 2, created: 1, updated: 1, rejected: 0, committed: true });
    expect(run.results).toEqual(["updated", "created"]);
    expect(run.models).toEqual([{ model: "imported" }]);
  });

  test("a car deleted by someone else while the batch runs is created again, with codes", async () => {
    const racing = await existing();
    const run = await importDuring((holder) => holder`delete from vehicles where vin = ${racing}`, [racing, randomVin()]);
    expect(run.summary).toEqual({ lines: 2, created: 2, updated: 0, rejected: 0, committed: true });
    expect(run.results).toEqual(["created", "created"]);
    expect(run.models).toEqual([{ model: "imported" }]);
  });
});

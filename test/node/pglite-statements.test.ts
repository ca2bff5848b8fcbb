import { sql } from "drizzle-orm";
import { afterEach, describe, expect, test } from "vitest";
import { rowsOf } from "../../src/db/rows";
import { vehicles } from "../../src/db/schema";
import { sha256Hex } from "../../src/lib/secrets";
import { vehicleForCode } from "../../src/services/track";
import { openMigratedPglite } from "../helpers/pglite";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function pglite() {
  const opened = await openMigratedPglite();
  closers.push(opened.close);
  return opened;
}

const car = (vin: string, code: string) => ({
  vin,
  model: "model3",
  hardware: "HW4",
  region: "NL",
  channel: "stable" as const,
  cohort: "standard" as const,
  firmware: "2026.30.1",
  ownerCodeHash: sha256Hex(code),
  deviceTokenHash: sha256Hex(`rtd_${code}`),
});

// Read straight from PGlite, past drizzle, so the check itself prepares nothing.
const namedStatements = async (client: Awaited<ReturnType<typeof pglite>>["client"]) =>
  (await client.query<{ statement: string; generic_plans: number; custom_plans: number }>("select statement, generic_plans, custom_plans from pg_prepared_statements")).rows;

describe("PGlite runs repeated queries as named statements", () => {
  test("an owner's code lookup is planned once, with the generic plan, and answers as before", async () => {
    const { db, client } = await pglite();
    await db.insert(vehicles).values([car("5YJ3E1EA7KF000001", "code-one"), car("5YJ3E1EA7KF000002", "code-two")]);
    const now = new Date();
    const answers = [];
    for (const code of ["code-one", "code-two", "code-one", "nobody", "code-two", "code-one", "code-two"]) answers.push(await vehicleForCode(db, code, now));
    expect(answers.map((a) => a?.vin ?? null)).toEqual(["5YJ3E1EA7KF000001", "5YJ3E1EA7KF000002", "5YJ3E1EA7KF000001", null, "5YJ3E1EA7KF000002", "5YJ3E1EA7KF000001", "5YJ3E1EA7KF000002"]);
    expect(answers[0]).toEqual(answers[2]);
    expect(answers[0]).toMatchObject({ model: "model3", channel: "stable", firmware: "2026.30.1", shared: false });

    const lookup = (await namedStatements(client)).find((s) => s.statement.includes("owner_code_hash"));
    // The first run is a one-off; every run after it uses the one prepared statement.
    expect(lookup).toMatchObject({ generic_plans: 6, custom_plans: 0 });
    // The forced generic plan held for those runs only: other queries are planned as usual.
    expect((await client.query<{ plan_cache_mode: string }>("show plan_cache_mode")).rows).toEqual([{ plan_cache_mode: "auto" }]);
  });

  test("values keep their types both ways, and a failing run leaves the next ones working", async () => {
    const { db, client } = await pglite();
    const at = new Date("2026-11-24T10:00:00.000Z");
    const roundTrip = () =>
      db.execute(sql`select ${at.toISOString()}::timestamptz as at, ${JSON.stringify({ a: [1, "x"] })}::json as doc, ${null}::text as nothing, ${42}::bigint as big, ${"it's"}::text as quoted`);
    const first = rowsOf(await roundTrip());
    const again = rowsOf(await roundTrip());
    expect(again).toEqual(first);
    expect(again).toEqual([{ at: "2026-11-24 10:00:00+00", doc: { a: [1, "x"] }, nothing: null, big: 42, quoted: "it's" }]);

    const insert = (vin: string) => db.insert(vehicles).values(car(vin, vin));
    await insert("5YJ3E1EA7KF000003");
    await expect(insert("5YJ3E1EA7KF000003")).rejects.toThrow();
    await insert("5YJ3E1EA7KF000004");
    expect(rowsOf(await db.execute(sql`select count(*)::int as n from vehicles`))).toEqual([{ n: 2 }]);
    expect((await client.query<{ plan_cache_mode: string }>("show plan_cache_mode")).rows).toEqual([{ plan_cache_mode: "auto" }]);
  });

  test("a named run waits for an open transaction instead of running inside it", async () => {
    const { db } = await pglite();
    const count = async () => rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from vehicles`))[0]?.n;
    expect([await count(), await count()]).toEqual([0, 0]);
    let release = () => {};
    let inserted = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const insertedInside = new Promise<void>((resolve) => (inserted = resolve));
    const tx = db.transaction(async (t) => {
      await t.insert(vehicles).values(car("5YJ3E1EA7KF000005", "five"));
      inserted();
      await held;
      throw new Error("rolled back on purpose");
    });
    await insertedInside;
    const during = count();
    release();
    await expect(tx).rejects.toThrow("rolled back on purpose");
    expect(await during).toBe(0);
    expect(await count()).toBe(0);
  });
});

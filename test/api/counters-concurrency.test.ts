import { parseConfig } from "../../src/config";
import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { createApp } from "../../src/app";
import { connectPostgres } from "../../src/db/postgres";
import { rowsOf } from "../../src/db/rows";
import { manualClock } from "../../src/lib/clock";
import { foldCounterStripes } from "../../src/services/queue-counts";
import { tickAll } from "../../src/services/clock-tick";
import { adminToken } from "../helpers/app";
import { randomVersion, randomVin, vehicleBody } from "../helpers/fleet";

const url = process.env.DATABASE_URL;
const states = ["downloading", "installing", "installed", "failed"] as const;

// Real concurrency needs real connections and commits: Postgres only (PGlite is one connection).
describe.runIf(url)("queue counters under concurrent writers (postgres)", () => {
  test("stay exactly equal to a full count", async () => {
    const { db, close } = connectPostgres(url!, { max: 8 });
    const clock = manualClock();
    const app = createApp({ db, clock, config: { ...parseConfig({}), adminToken, maxBodyBytes: 1 << 20 } });
    const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      app.request(path, { method, headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json", ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
    const region = `C${Math.random().toString(36).slice(2, 9).toUpperCase()}`;
    const version = randomVersion();
    try {
      const lines = Array.from({ length: 3000 }, () => JSON.stringify({ vin: randomVin(), ...vehicleBody({ region }) })).join("\n");
      const imported = await app.request("/v1/vehicles/import", { method: "POST", headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/x-ndjson" }, body: lines });
      await imported.text();
      const created = await call("POST", "/v1/releases", { version, channel: "stable", eligibility: { regions: [region] } });
      await call("PUT", `/v1/releases/${version}/waves`, { waves: [{ name: "all", share: 100, ratePerHour: 6000 }] }, { "if-match": created.headers.get("etag")! });
      expect((await call("POST", `/v1/releases/${version}/start`)).status).toBe(200);
      const [{ id }] = rowsOf<{ id: number }>(await db.execute(sql`select id from releases where version = ${version}`)) as [{ id: number }];

      // 400 writers moving random entries between states, while the clock offers more.
      const writers = Array.from({ length: 400 }, (_, i) =>
        db.transaction(async (tx) => {
          const position = 1 + ((i * 7919) % 3000);
          const state = states[i % states.length]!;
          await tx.execute(sql`update queue_entries set state = ${state}::update_state, updated_at = now() where release_id = ${id} and position in (${position}, ${(position % 3000) + 1})`);
        }),
      );
      const ticks = [10, 20, 30].map((minutes) => tickAll({ db, now: new Date(clock.now().getTime() + minutes * 60_000) }));
      // Folding the writers' stripes while they write must not change a single sum.
      const folds = Array.from({ length: 5 }, (_, i) => new Promise((r) => setTimeout(r, i * 20)).then(() => foldCounterStripes(db)));
      await Promise.all([...writers, ...ticks, ...folds]);

      const rows = rowsOf<{ state: string; kept: number; total: number; actual: number }>(
        await db.execute(sql`
          select s.state,
                 coalesce((select sum(count) from queue_counts c where c.release_id = ${id} and c.state = s.state), 0)::int as kept,
                 coalesce((select sum(count) from release_counts c where c.release_id = ${id} and c.state = s.state), 0)::int as total,
                 (select count(*) from queue_entries q where q.release_id = ${id} and q.state = s.state)::int as actual
          from unnest(enum_range(null::update_state)) s(state)`),
      );
      for (const row of rows) expect(row.kept, row.state).toBe(row.actual);
      for (const row of rows) expect(row.total, `${row.state} (release total)`).toBe(row.actual);
      expect(rows.reduce((n, r) => n + r.actual, 0)).toBe(3000);
      // Once nobody writes, a fold leaves every count in stripe 0: block reads stay one row per state.
      await tickAll({ db, now: new Date(clock.now().getTime() + 40 * 60_000) });
      const unfolded = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from queue_counts where release_id = ${id} and stripe <> 0`));
      expect(unfolded[0]!.n).toBe(0);
    } finally {
      await db.execute(sql`delete from queue_entries where release_id in (select id from releases where version = ${version})`);
      await db.execute(sql`delete from releases where version = ${version}`);
      await db.execute(sql`delete from vehicles where region = ${region}`);
      await close();
    }
  });
});

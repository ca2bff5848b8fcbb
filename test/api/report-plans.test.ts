import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { rowsOf } from "../../src/db/rows";
import { recordReports } from "../../src/services/reports";
import { withApp } from "../helpers/app";
import { backends } from "../helpers/backends";
import { startedFleet } from "../helpers/rollout";

// Every report, single or in a gateway's batch, lands through one statement of a
// dozen CTEs. Sent unnamed (as `db.execute` sends), Postgres parsed and planned it
// on every run: 2.7 ms of its 5.9 ms under 50 single reporters (server log). It is
// a prepared statement: parsed once per connection, its plans counted by Postgres.

const postgres = backends.find((b) => b.name === "postgres");

describe.skipIf(!postgres)("report statement on Postgres", () => {
  test("is one prepared statement, run again on each commit instead of parsed anew", () =>
    withApp(postgres!, async (ctx) => {
      const { vehicles, version } = await startedFleet(ctx, 3);
      // The test's transaction is one connection: its prepared statements are the ones read below.
      for (let i = 0; i < 8; i++) {
        const vin = vehicles[i % vehicles.length]!.vin;
        const { results } = await recordReports({ db: ctx.db, reports: [{ eventId: randomUUID(), vin, version, state: "downloading", at: ctx.clock.now() }], now: ctx.clock.now() });
        expect(results[0]?.status).toBe("accepted");
      }
      const statements = rowsOf<{ runs: number }>(
        await ctx.db.execute(
          sql`select (generic_plans + custom_plans)::int as runs from pg_prepared_statements
              where statement like '%insert into update_events%' and statement like '%insert into firmware_changes%'`,
        ),
      );
      expect(statements).toEqual([{ runs: 8 }]);
    }));
});

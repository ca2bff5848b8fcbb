import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { rowsOf } from "../../src/db/rows";
import { sha256Hex } from "../../src/lib/secrets";
import { beatMs } from "../../src/services/owner-answers";
import { trackCodes } from "../../src/services/track";
import { withApp } from "../helpers/app";
import { backends } from "../helpers/backends";
import { startedFleet } from "../helpers/rollout";

// Owner reads that miss the cache go to Postgres as one prepared statement for a
// batch of codes. Postgres plans a prepared statement for its values on its first
// five runs and then keeps a generic plan, unless the plans for the values keep
// rating cheaper; planning this statement costs more than running it for a dozen
// codes. Small batches (a quiet server sends one code at a time) must not keep it
// re-planning. (PGlite runs its repeated statements on generic plans always:
// src/node/pglite-statements.ts.)

const postgres = backends.find((b) => b.name === "postgres");

describe.skipIf(!postgres)("owner reads on Postgres", () => {
  test("single-code batches leave the batch statement on its generic plan after its first five runs", () =>
    withApp(postgres!, async (ctx) => {
      const { vehicles } = await startedFleet(ctx, 3);
      // The test's transaction is one connection: its prepared statements are the ones read below.
      for (let i = 0; i < 12; i++) {
        const hash = sha256Hex(vehicles[i % vehicles.length]!.ownerCode);
        expect((await trackCodes(ctx.db, [hash], ctx.clock.now(), beatMs)).get(hash)?.state).toBe("queued");
      }
      const plans = rowsOf<{ generic: number; custom: number }>(
        await ctx.db.execute(
          sql`select generic_plans::int as generic, custom_plans::int as custom from pg_prepared_statements
              where statement like '%owner_code_hash%' and statement like '%queue_entries%'`,
        ),
      );
      expect(plans).toHaveLength(1);
      expect(plans[0]).toEqual({ generic: 7, custom: 5 });
    }));
});

import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { Db, Tx } from "../../src/db/client";
import { rowsOf } from "../../src/db/rows";
import { type Cohort, cohortsInQueueOrder, positionsFor } from "../../src/domain/queue-order";
import { queueOrderSql, shuffleKeySql } from "../../src/services/queue-order-sql";
import { withApp } from "../helpers/app";
import { backends } from "../helpers/backends";
import { randomVin } from "../helpers/fleet";

// Ids far from the identity sequence (|id| ≥ 2^40, either sign, within the
// safe integers), so they never meet the rows other tests insert meanwhile.
const vehicleId = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 2n ** 40n, max: 2n ** 53n - 1n }))
  .map(([negative, magnitude]) => Number(negative ? -magnitude : magnitude));
const fleet = fc.uniqueArray(fc.record({ id: vehicleId, cohort: fc.constantFrom(...cohortsInQueueOrder) }), {
  selector: (car) => car.id,
  maxLength: 40,
});

class Rollback extends Error {}

async function rolledBack(db: Db, run: (tx: Tx) => Promise<void>) {
  try {
    await db.transaction(async (tx) => {
      await run(tx);
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
}

// The queue's SQL ordering and the TypeScript rule must place every vehicle at
// the same position, for any fleet and any seed.
describe.each(backends)("queue order in SQL equals the TypeScript rule ($name)", (backend) => {
  test("random fleets and seeds get the same positions", () =>
    withApp(backend, async (ctx) => {
      await fc.assert(
        fc.asyncProperty(fleet, fc.integer(), async (cars, seed) => {
          // Each run in a savepoint of its own that is rolled back, so no run (nor a
          // shrinking step after a failure) sees the vehicles of another.
          await rolledBack(ctx.db, async (db) => {
            // A region of this run only, so vehicles of other runs and tests never answer.
            const region = `Q${randomBytes(6).toString("hex").toUpperCase()}`;
            if (cars.length)
              await db.execute(sql`insert into vehicles (id, vin, model, hardware, region, channel, cohort, firmware, owner_code_hash, device_token_hash)
                overriding system value values ${sql.join(
                  cars.map(
                    (car) =>
                      sql`(${car.id}, ${randomVin()}, 'model3', 'HW4', ${region}, 'stable', ${car.cohort}::cohort, '2026.1.0', ${randomBytes(32).toString("hex")}, ${randomBytes(32).toString("hex")})`,
                  ),
                  sql`, `,
                )}`);
            const rows = rowsOf<{ id: string; cohort: Cohort; shuffle_key: string; position: number }>(
              await db.execute(sql`select v.id::text as id, v.cohort::text as cohort, ${shuffleKeySql(seed)}::text as shuffle_key,
                  (row_number() over (order by ${queueOrderSql(seed)}))::int as position
                from vehicles v where v.region = ${region}`),
            );
            expect(rows).toHaveLength(cars.length);
            const fromSql = Object.fromEntries(rows.map((r) => [r.id, r.position]));
            const entries = rows.map((r) => ({ vehicleId: Number(r.id), cohort: r.cohort, shuffleKey: BigInt(r.shuffle_key) }));
            const fromTs = Object.fromEntries(positionsFor(entries).map((e) => [String(e.vehicleId), e.position]));
            expect(fromSql).toEqual(fromTs);
          });
        }),
        { numRuns: 100 },
      );
    }));
});

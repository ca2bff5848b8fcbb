import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { Db, Tx } from "../../src/db/client";
import { rowsOf } from "../../src/db/rows";
import { type Cohort, cohortsInQueueOrder, positionsFor } from "../../src/domain/queue-order";
import { afterEveryCohort, queueLeadSql, queueOrderSql, shuffleKeySql } from "../../src/services/queue-order-sql";
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

// Random fleets hardly ever meet the edges of the 64-bit shuffle key, nor two
// keys that differ only in their last bits: the folded lead must sort every
// (rank, key) pair as the pair itself sorts, and never overflow.
describe.each(backends)("the queue's folded sort lead ($name)", (backend) => {
  test("sorts rank then key at the edges of the key range", () =>
    withApp(backend, async (ctx) => {
      const edges = [-(2n ** 63n), -(2n ** 63n) + 1n, -(2n ** 62n) - 1n, -(2n ** 62n), -4n, -3n, -1n, 0n, 1n, 3n, 4n, 2n ** 61n, 2n ** 62n - 1n, 2n ** 62n, 2n ** 63n - 4n, 2n ** 63n - 1n];
      const ranks = Array.from({ length: afterEveryCohort + 1 }, (_, rank) => rank);
      const pairs = ranks.flatMap((rank) => edges.map((key) => ({ rank, key })));
      const rows = rowsOf<{ rank: number; key: string; lead: string }>(
        await ctx.db.execute(sql`select p.rank, p.key::text as key, (${queueLeadSql(sql`p.rank`, sql`p.key`)})::text as lead
          from unnest(${`{${pairs.map((p) => p.rank).join(",")}}`}::int[], ${`{${pairs.map((p) => p.key).join(",")}}`}::bigint[]) as p(rank, key)`),
      );
      expect(rows).toHaveLength(pairs.length);
      const byPair = (a: { rank: number; key: bigint }, b: { rank: number; key: bigint }) => a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
      const sorted = rows.map((r) => ({ rank: Number(r.rank), key: BigInt(r.key), lead: BigInt(r.lead) })).sort(byPair);
      // Never decreasing along the pairs' order, and apart wherever the rank or the key's top 62 bits differ.
      for (const [a, b] of sorted.slice(1).map((b, i) => [sorted[i]!, b] as const)) {
        expect(a.lead <= b.lead).toBe(true);
        if (a.rank !== b.rank || a.key >> 2n !== b.key >> 2n) expect(a.lead < b.lead).toBe(true);
      }
    }));
});

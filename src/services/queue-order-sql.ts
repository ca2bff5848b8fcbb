import { type SQL, sql } from "drizzle-orm";

// The SQL form of `domain/queue-order.ts`, for ordering the fleet (`vehicles v`)
// in one statement. `v.cohort` sorts by the enum's declaration order in
// `db/schema.ts` (employee, early_access, standard), which must be `cohortRank`;
// `test/domain/queue-order-sql.test.ts` checks both on random fleets and seeds.

/** The seeded shuffle key of `v` (`QueueOrderEntry.shuffleKey`), a bigint. */
export function shuffleKeySql(seed: number): SQL {
  return sql`hashint8extended(v.id, ${seed})`;
}

/** `compareQueueOrder` as an `order by` list: cohort, shuffle key, then id (hashes can collide). */
export function queueOrderSql(seed: number): SQL {
  return sql`v.cohort, ${shuffleKeySql(seed)}, v.id`;
}

import { type SQL, sql } from "drizzle-orm";
import { cohortRank } from "../domain/queue-order";

// The SQL form of `domain/queue-order.ts`, for ordering the fleet (`vehicles v`)
// in one statement. `test/domain/queue-order-sql.test.ts` checks it against the
// TypeScript rule on random fleets and seeds.

/** The seeded shuffle key of `v` (`QueueOrderEntry.shuffleKey`), a bigint. */
export function shuffleKeySql(seed: number): SQL {
  return sql`hashint8extended(v.id, ${seed})`;
}

/** `cohortRank` of `v.cohort`, taken from the domain (0, 1, 2). */
export const cohortRankSql: SQL = sql`(case v.cohort ${sql.join(
  Object.entries(cohortRank).map(([cohort, rank]) => sql.raw(`when '${cohort}' then ${rank}`)),
  sql` `,
)} end)`;

/** A rank past every cohort's: rows that must sort after all of them (buildQueue's skipped ones). */
export const afterEveryCohort = 3;

/**
 * Rank (0-3) and shuffle key folded into one bigint that sorts as the pair
 * does: the rank in the top two bits, the key's top 62 bits below, as a
 * signed number ((rank - 2)·2^62 + 2^61 + key >> 2, from -2^63 up to 2^63 - 1).
 * Equal leads mean the same rank and keys that differ at most in their last two
 * bits, so the full key and the id still follow it.
 */
export function queueLeadSql(rank: SQL, key: SQL): SQL {
  return sql`((${rank})::bigint - 2) * 4611686018427387904 + 2305843009213693952 + ((${key}) >> 2)`;
}

/**
 * `compareQueueOrder` as an `order by` list: cohort, shuffle key, then id
 * (hashes can collide). The cohort leads through `queueLeadSql` instead of
 * the enum: a sort on a leading bigint compares machine words, where an enum
 * went through a function call on every comparison (a million-car sort took
 * ~0.7 s longer). `rank` may put rows after every cohort (`afterEveryCohort`).
 */
export function queueOrderSql(seed: number, rank: SQL = cohortRankSql): SQL {
  const key = shuffleKeySql(seed);
  return sql`${queueLeadSql(rank, key)}, ${key}, v.id`;
}

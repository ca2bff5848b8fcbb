/**
 * The order of a release's queue: who is offered the update first.
 *
 * Cohorts lead in a fixed rank (employees test it, then the early-access
 * owners, then everyone else). Within a cohort the order is a shuffle seeded
 * by the release: fair, reproducible for the same release, different from one
 * release to the next, and unrelated to VIN or sign-up order. The shuffle key
 * is a 64-bit hash of the vehicle id and the seed (`hashint8extended` in
 * Postgres); hashes can collide, so the vehicle id breaks the last tie and
 * the order is total — the same fleet and seed always give the same queue.
 *
 * The queue is built in SQL over the whole fleet (`services/queue-order-sql.ts`);
 * `test/domain/queue-order-sql.test.ts` demands that it places every vehicle
 * where `positionsFor` does.
 */

/** The cohorts, first in line first. */
export const cohortsInQueueOrder = ["employee", "early_access", "standard"] as const;

export type Cohort = (typeof cohortsInQueueOrder)[number];

/** Lower goes first. Stated here, not taken from the database enum (which must agree). */
export const cohortRank: Readonly<Record<Cohort, number>> = { employee: 0, early_access: 1, standard: 2 };

/** A queued vehicle as the order sees it; `shuffleKey` is the seeded hash of its id. */
export type QueueOrderEntry = { vehicleId: number; cohort: Cohort; shuffleKey: bigint };

const sign = (a: bigint | number, b: bigint | number) => (a < b ? -1 : a > b ? 1 : 0);

/** Negative when `a` is ahead of `b` in the queue; zero only for the same vehicle. */
export function compareQueueOrder(a: QueueOrderEntry, b: QueueOrderEntry): number {
  return cohortRank[a.cohort] - cohortRank[b.cohort] || sign(a.shuffleKey, b.shuffleKey) || sign(a.vehicleId, b.vehicleId);
}

/** The entries in queue order, each with its position 1..N. */
export function positionsFor<E extends QueueOrderEntry>(entries: readonly E[]): (E & { position: number })[] {
  return [...entries].sort(compareQueueOrder).map((entry, i) => ({ ...entry, position: i + 1 }));
}

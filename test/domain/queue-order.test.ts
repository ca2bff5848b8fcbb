import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { cohort } from "../../src/db/schema";
import { type QueueOrderEntry, cohortRank, cohortsInQueueOrder, compareQueueOrder, positionsFor } from "../../src/domain/queue-order";

const entry = (vehicleId: number, c: QueueOrderEntry["cohort"], shuffleKey: bigint): QueueOrderEntry => ({ vehicleId, cohort: c, shuffleKey });

// A stand-in for `hashint8extended(id, seed)`: any seeded 64-bit mix will do for
// the properties below, which hold for every key function.
function shuffleKey(id: number, seed: number): bigint {
  let x = BigInt.asUintN(64, BigInt(id) * 0x9e3779b97f4a7c15n + BigInt(seed));
  x = BigInt.asUintN(64, (x ^ (x >> 30n)) * 0xbf58476d1ce4e5b9n);
  x = BigInt.asUintN(64, (x ^ (x >> 27n)) * 0x94d049bb133111ebn);
  return BigInt.asIntN(64, x ^ (x >> 31n));
}

const fleet = (size: number) =>
  fc.uniqueArray(fc.record({ vehicleId: fc.integer({ min: 1 }), cohort: fc.constantFrom(...cohortsInQueueOrder) }), {
    selector: (car) => car.vehicleId,
    minLength: size,
    maxLength: Math.max(size, 80),
  });
const withKeys = (cars: { vehicleId: number; cohort: QueueOrderEntry["cohort"] }[], seed: number) =>
  cars.map((car) => ({ ...car, shuffleKey: shuffleKey(car.vehicleId, seed) }));
const order = (entries: QueueOrderEntry[]) => positionsFor(entries).map((e) => e.vehicleId);

describe("queue order", () => {
  test("the cohort rank is the order the database enum is declared in (SQL sorts `v.cohort` by it)", () => {
    expect(cohort.enumValues).toEqual([...cohortsInQueueOrder]);
    expect(cohortsInQueueOrder.map((c) => cohortRank[c])).toEqual([0, 1, 2]);
  });

  test("positions are 1..N and cohorts lead, whatever the keys", () => {
    fc.assert(
      fc.property(fleet(0), fc.integer(), (cars, seed) => {
        const placed = positionsFor(withKeys(cars, seed));
        expect(placed.map((e) => e.position)).toEqual(cars.map((_, i) => i + 1));
        const ranks = placed.map((e) => cohortRank[e.cohort]);
        expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      }),
    );
  });

  test("the same seed gives the same order, whatever order the fleet comes in", () => {
    fc.assert(
      fc.property(fleet(0), fc.integer(), fc.integer(), (cars, seed, rotation) => {
        const turned = cars.map((_, i) => cars[(i + Math.abs(rotation)) % cars.length]!);
        expect(order(withKeys(turned, seed))).toEqual(order(withKeys(cars, seed)));
      }),
    );
  });

  test("another seed gives another order for a fleet of 50 or more", () => {
    fc.assert(
      fc.property(fleet(50), fc.integer(), fc.integer(), (cars, a, b) => {
        fc.pre(a !== b);
        expect(order(withKeys(cars, a))).not.toEqual(order(withKeys(cars, b)));
      }),
    );
  });

  test("within a cohort the shuffle key decides, and the vehicle id breaks a tie of keys", () => {
    const entries = [entry(7, "standard", 5n), entry(3, "standard", 5n), entry(9, "standard", -2n), entry(8, "employee", 99n), entry(1, "early_access", 0n)];
    expect(order(entries)).toEqual([8, 1, 9, 3, 7]);
    expect(compareQueueOrder(entry(3, "standard", 5n), entry(7, "standard", 5n))).toBeLessThan(0);
    expect(compareQueueOrder(entry(3, "standard", 5n), entry(3, "standard", 5n))).toBe(0);
  });
});

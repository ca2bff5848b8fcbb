import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { cutPoint, waveOfPosition, waveRanges } from "../../src/domain/waves";

describe("waves as cut points", () => {
  test("the SPEC's example: 1% of 80 000 is positions 1..800", () => {
    expect(waveRanges([1, 5, 25, 100], 80_000)).toEqual([
      { from: 1, to: 800, size: 800 },
      { from: 801, to: 4000, size: 3200 },
      { from: 4001, to: 20_000, size: 16_000 },
      { from: 20_001, to: 80_000, size: 60_000 },
    ]);
  });

  test("a small share of a small fleet still reaches someone", () => {
    expect(cutPoint(1, 10)).toBe(1);
    expect(cutPoint(0.5, 0)).toBe(0);
  });

  test("ranges partition 1..cut point of the last wave", () => {
    const shares = fc
      .uniqueArray(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 8 })
      .map((s) => s.sort((a, b) => a - b).map((x) => x / 10));
    fc.assert(
      fc.property(shares, fc.nat({ max: 2_000_000 }), (cumulative, n) => {
        const ranges = waveRanges(cumulative, n);
        let next = 1;
        for (const r of ranges) {
          expect(r.from).toBe(next);
          expect(r.size).toBe(r.to - r.from + 1);
          expect(r.size).toBeGreaterThanOrEqual(0);
          next = r.to + 1;
        }
        expect(next - 1).toBe(cutPoint(cumulative.at(-1)!, n));
      }),
    );
  });
});

describe("position → wave", () => {
  test("a position is in the wave whose range holds it, and in none past the last cut point", () => {
    const shares = fc
      .uniqueArray(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 6 })
      .map((s) => s.sort((a, b) => a - b).map((x) => x / 10));
    fc.assert(
      fc.property(shares, fc.nat({ max: 500 }), (cumulative, n) => {
        const ranges = waveRanges(cumulative, n);
        for (let position = 1; position <= n + 1; position++) {
          const wave = waveOfPosition(ranges, position);
          const holder = ranges.findIndex((r) => r.from <= position && position <= r.to);
          expect(wave).toBe(holder === -1 ? null : holder + 1);
          if (position <= cutPoint(cumulative.at(-1)!, n)) expect(wave).not.toBeNull();
        }
        expect(waveOfPosition(ranges, 0)).toBeNull();
      }),
    );
  });
});

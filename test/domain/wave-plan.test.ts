import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { projectedOfferTime, waveWindows } from "../../src/domain/forecast";
import type { ClockRelease, ClockWave } from "../../src/domain/rollout-clock";
import { type PlannedWave, applyPlan, replanConflict, replanImpact } from "../../src/domain/wave-plan";
import { cutPoint, waveRanges } from "../../src/domain/waves";

const now = new Date("2026-11-02T12:00:00Z");
const planned = (share: number, ratePerHour: number | null = 100): PlannedWave => ({
  name: `s${share}`,
  share,
  ratePerHour,
  startAt: null,
  autoAdvance: { minSuccessPercent: 90, soakMinutes: 60 },
  stopAt: null,
});
const clockWave = (p: PlannedWave, index: number, state: ClockWave["state"]): ClockWave => ({
  ...p,
  index,
  state,
  openedAt: state === "pending" ? null : new Date("2026-11-02T10:00:00Z"),
  fullyOfferedAt: null,
  soakStartedAt: null,
  fullyOfferedThrough: null,
});

/** A rolling release whose wave `current` is active and offered up to `offered`. */
function rolling(shares: number[], current: number, offered: number, n = 1000): ClockRelease {
  return {
    state: "rolling_out",
    queueSize: n,
    offeredThrough: offered,
    clockStartedAt: new Date("2026-11-02T11:00:00Z"),
    offeredAtClockStart: offered,
    pausedAt: null,
    waves: shares.map((s, i) => clockWave(planned(s), i + 1, i + 1 < current ? "done" : i + 1 === current ? "active" : "pending")),
  };
}

describe("re-planning waves", () => {
  test("a plan that would take back an offered update is refused", () => {
    const r = rolling([1, 5, 100], 2, 40);
    expect(replanConflict(r, [planned(1), planned(5), planned(100)])).toBeNull();
    expect(replanConflict(r, [planned(1), planned(3), planned(100)])).toMatch(/never taken back/);
    expect(replanConflict(r, [planned(1)])).toMatch(/would take it back/);
    expect(replanConflict(r, [planned(1), planned(4), planned(50)])).toBeNull();
  });

  test("a done wave keeps its place and cut point: dropping or moving it would relabel vehicles offered as that wave", () => {
    const r = rolling([1, 5, 100], 2, 40);
    expect(replanConflict(r, [planned(4)])).toMatch(/Wave 1 is done/);
    expect(replanConflict(r, [planned(5), planned(100)])).toMatch(/Wave 1 is done/);
    expect(replanConflict(r, [planned(2), planned(5), planned(100)])).toMatch(/Wave 1 is done/);
    // 0.95% of 1,000 rounds up to position 10, as 1% does: the same cut point is the same wave.
    expect(replanConflict(r, [planned(0.95), planned(5), planned(100)])).toBeNull();
  });

  test("a draft may be re-planned freely", () => {
    const draft: ClockRelease = { ...rolling([1, 100], 0, 0), state: "draft" };
    expect(replanConflict(draft, [planned(50)])).toBeNull();
  });

  test("opened waves keep their state and times; new ones are pending", () => {
    const r = rolling([1, 5, 100], 2, 40);
    const after = applyPlan(r, [planned(1), planned(10), planned(30), planned(100)], now);
    expect(after.waves.map((w) => w.state)).toEqual(["done", "active", "pending", "pending"]);
    expect(after.waves[1]!.openedAt).toEqual(r.waves[1]!.openedAt);
  });

  test("the impact equals a vehicle-by-vehicle count, for any permitted plan", () => {
    const shares = fc.uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 5 }).map((s) => s.sort((a, b) => a - b));
    fc.assert(
      fc.property(shares, shares, fc.integer({ min: 0, max: 400 }), fc.nat({ max: 4 }), (oldShares, newShares, n, currentSeed) => {
        const current = Math.min(oldShares.length, currentSeed + 1);
        const offered = Math.floor(cutPoint(oldShares[current - 1]!, n) / 2);
        const before = rolling(oldShares, current, offered, n);
        const plan = newShares.map((s) => planned(s));
        if (replanConflict(before, plan)) return;
        const after = applyPlan(before, plan, now);
        const impact = replanImpact(before, after, now);

        const waveOf = (shares: number[], p: number) => {
          const i = waveRanges(shares, n).findIndex((r) => p >= r.from && p <= r.to);
          return i === -1 ? null : i + 1;
        };
        let changing = 0;
        let minShift = Infinity;
        let maxShift = -Infinity;
        const [w0, w1] = [waveWindows(before, now), waveWindows(after, now)];
        for (let p = offered + 1; p <= n; p++) {
          if (waveOf(oldShares, p) !== waveOf(newShares, p)) changing++;
          const [a, b] = [projectedOfferTime(before, w0, p, now), projectedOfferTime(after, w1, p, now)];
          if (a && b) {
            const shift = Math.round((b.getTime() - a.getTime()) / 60_000);
            minShift = Math.min(minShift, shift);
            maxShift = Math.max(maxShift, shift);
          }
        }
        expect(impact.vehiclesChangingWave).toBe(changing);
        expect(impact.moves.reduce((s, m) => s + m.count, 0)).toBe(changing);
        if (minShift === Infinity) expect(impact.etaShift).toBeNull();
        else {
          expect(impact.etaShift!.minMinutes).toBeLessThanOrEqual(minShift + 1);
          expect(impact.etaShift!.maxMinutes).toBeGreaterThanOrEqual(maxShift - 1);
        }
        // and every offered position still lies in a wave that has opened
        const reach = cutPoint(newShares[current - 1]!, n);
        expect(reach).toBeGreaterThanOrEqual(offered);
      }),
      { numRuns: 300 },
    );
  });
});

describe("forecast", () => {
  test("an active rate-limited wave ends when its clock reaches the cut point", () => {
    const r = rolling([10, 100], 1, 50, 1000);
    const [first, second] = waveWindows(r, now);
    // 100/hour from 11:00 counting from 50 → position 100 at 11:30
    expect(first!.end).toEqual(new Date("2026-11-02T12:00:00Z"));
    expect(second!.start).toEqual(new Date("2026-11-02T13:00:00Z"));
    expect(second!.end).toEqual(new Date("2026-11-02T22:00:00Z"));
  });

  test("paused rollouts and waves waiting for a person have no projection", () => {
    expect(waveWindows({ ...rolling([10, 100], 1, 50), state: "paused" }, now).every((w) => w.end === null)).toBe(true);
    const manual = rolling([10, 100], 1, 50);
    manual.waves[0] = { ...manual.waves[0]!, autoAdvance: null };
    expect(waveWindows(manual, now)[1]!.start).toBeNull();
  });
});

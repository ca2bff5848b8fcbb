import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { caseStopReason, casesPerThousand, offeredInWave } from "../../src/domain/case-rule";
import { decideTick } from "../../src/domain/rollout-clock";
import { cutPoint } from "../../src/domain/waves";
import { at, kinds, release, t0, wave } from "../helpers/clock";

const rule = { maxFailurePercent: 100, minSample: 1, maxCasesPerThousand: 3, minOffered: 500, action: "pause" as const };

describe("the case-driven stop rule", () => {
  test("cases per 1,000 offered; none before anything is offered", () => {
    expect(casesPerThousand(0, 0)).toBeNull();
    expect(casesPerThousand(3, 1000)).toBe(3);
    expect(casesPerThousand(2, 500)).toBe(4);
  });

  test("offered in a wave is the offer frontier clipped to the wave's range", () => {
    const r = release([wave(1, 10), wave(2, 50), wave(3, 100)], { queueSize: 1000, offeredThrough: 300 });
    expect([1, 2, 3].map((i) => offeredInWave(r, i))).toEqual([100, 200, 0]);
    expect(offeredInWave(r, 4)).toBe(0);
  });

  test("fires only above the limit and only once minOffered were offered", () => {
    const w = wave(1, 100, { stopAt: rule });
    expect(caseStopReason(w, 2, 499)).toBeNull(); // 4.0 per 1,000, but too few offered
    expect(caseStopReason(w, 3, 1000)).toBeNull(); // exactly at the limit
    expect(caseStopReason(w, 4, 1000)).toMatch(/4 support case\(s\) per 1000 offered, 4\.0 per 1,000, above 3 per 1,000/);
    expect(caseStopReason(w, 2, 500)).not.toBeNull();
    expect(caseStopReason(wave(1, 100, { stopAt: { maxFailurePercent: 5, minSample: 10, action: "pause" } }), 999, 1000)).toBeNull();
    expect(caseStopReason(wave(1, 100), 999, 1000)).toBeNull();
  });

  test("without minOffered, one offered vehicle is enough", () => {
    const { minOffered: _m, ...noMin } = rule;
    expect(caseStopReason(wave(1, 100, { stopAt: noMin }), 1, 1)).not.toBeNull();
  });

  test("property: fires exactly when offered ≥ minOffered and cases × 1000 > limit × offered", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 10_000 }), (cases, offered, limit, minOffered) => {
        const w = wave(1, 100, { stopAt: { ...rule, maxCasesPerThousand: limit, minOffered } });
        const fires = offered > 0 && offered >= minOffered && cases * 1000 > limit * offered;
        expect(caseStopReason(w, cases, offered) !== null).toBe(fires);
      }),
    );
  });

  test("the clock pauses or halts on it like on the failure rule, counting only the wave's offered vehicles", () => {
    const plan = [wave(1, 10, { stopAt: rule }), wave(2, 100)];
    const started = decideTick(release(plan, { queueSize: 10_000 }), () => ({ installed: 0, failed: 0 }), t0).release;
    expect(started.offeredThrough).toBe(cutPoint(10, 10_000));
    // 1,000 offered in wave 1: 3 cases is at the limit, 4 is above.
    expect(kinds(decideTick(started, (i) => ({ installed: 0, failed: 0, cases: i === 1 ? 3 : 0 }), at(1)))).toEqual([]);
    const stopped = decideTick(started, (i) => ({ installed: 0, failed: 0, cases: i === 1 ? 4 : 0 }), at(1));
    expect(stopped.decisions).toEqual([{ kind: "stop", action: "pause", wave: 1, reason: expect.stringContaining("4.0 per 1,000") }]);
    expect(stopped.release.state).toBe("paused");
    const halting = { ...started, waves: started.waves.map((w) => (w.index === 1 ? { ...w, stopAt: { ...rule, action: "halt" as const } } : w)) };
    expect(decideTick(halting, () => ({ installed: 0, failed: 0, cases: 50 }), at(1)).release.state).toBe("halted");
    // A pending wave's rule never fires, whatever is counted against it.
    const pending = release([wave(1, 10), wave(2, 100, { stopAt: rule })], { queueSize: 10_000, state: "rolling_out" });
    expect(kinds(decideTick(decideTick(pending, () => ({ installed: 0, failed: 0 }), t0).release, () => ({ installed: 0, failed: 0, cases: 999 }), at(1)))).toEqual([]);
  });

  test("the failure rule still fires first when both would", () => {
    const r = decideTick(release([wave(1, 100, { stopAt: { ...rule, maxFailurePercent: 5, minSample: 10 } })], { queueSize: 1000 }), () => ({ installed: 0, failed: 0 }), t0).release;
    const stopped = decideTick(r, () => ({ installed: 5, failed: 5, cases: 100 }), at(1));
    expect(stopped.decisions[0]).toMatchObject({ kind: "stop", reason: expect.stringContaining("failure rate") });
  });
});

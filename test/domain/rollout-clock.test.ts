import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { applyDecision, decideTick } from "../../src/domain/rollout-clock";
import { cutPoint } from "../../src/domain/waves";
import { at, kinds, none, release, t0, wave } from "../helpers/clock";


describe("the rollout clock", () => {
  test("opens the first wave at start and offers an all-at-once wave in one step", () => {
    const result = decideTick(release([wave(1, 1), wave(2, 100)]), none, t0);
    expect(result.decisions).toEqual([
      { kind: "open_wave", wave: 1 },
      { kind: "offer", through: 10 },
      { kind: "wave_fully_offered", wave: 1 },
    ]);
    expect(result.release.waves.map((w) => w.state)).toEqual(["active", "pending"]);
  });

  test("waits for a first wave's start time", () => {
    const r = release([wave(1, 10, { startAt: at(60) })]);
    expect(decideTick(r, none, at(59)).decisions).toEqual([]);
    expect(kinds(decideTick(r, none, at(60)))).toContain("open_wave");
  });

  test("offers at the wave's rate from when its clock started", () => {
    const r = decideTick(release([wave(1, 100, { ratePerHour: 120 })]), none, t0).release;
    expect(r.offeredThrough).toBe(0);
    expect(decideTick(r, none, at(10)).decisions).toEqual([{ kind: "offer", through: 20 }]);
    expect(decideTick(r, none, at(10.4)).decisions).toEqual([{ kind: "offer", through: 20 }]);
    expect(decideTick(r, none, at(60 * 24)).release.offeredThrough).toBe(1000);
  });

  test("does nothing unless rolling out", () => {
    for (const state of ["draft", "paused", "completed", "halted"] as const) {
      expect(decideTick(release([wave(1, 100)], { state }), none, at(5)).decisions).toEqual([]);
    }
  });

  test("a stop rule fires only once minSample outcomes are in, and only above the limit", () => {
    const rule = { maxFailurePercent: 5, minSample: 50, action: "pause" as const };
    const r = decideTick(release([wave(1, 10, { stopAt: rule }), wave(2, 100)]), none, t0).release;
    expect(kinds(decideTick(r, () => ({ installed: 30, failed: 19 }), at(1)))).toEqual([]);
    expect(kinds(decideTick(r, () => ({ installed: 95, failed: 5 }), at(1)))).toEqual([]);
    const stopped = decideTick(r, () => ({ installed: 94, failed: 6 }), at(1));
    expect(stopped.decisions).toEqual([{ kind: "stop", action: "pause", wave: 1, reason: expect.stringMatching(/6\.0% is above 5%/) }]);
    expect(stopped.release.state).toBe("paused");
    const halting = decideTick(
      { ...r, waves: r.waves.map((w) => (w.index === 1 ? { ...w, stopAt: { ...rule, action: "halt" as const } } : w)) },
      () => ({ installed: 0, failed: 50 }),
      at(1),
    );
    expect(halting.release.state).toBe("halted");
  });

  test("auto-advances after the soak time when the success rate is reached", () => {
    const auto = { minSuccessPercent: 90, soakMinutes: 120 };
    const r = decideTick(release([wave(1, 10, { autoAdvance: auto }), wave(2, 100)]), none, t0).release;
    const good = () => ({ installed: 10, failed: 0 });
    expect(kinds(decideTick(r, good, at(119)))).toEqual([]);
    expect(kinds(decideTick(r, () => ({ installed: 8, failed: 2 }), at(121)))).toEqual([]);
    const advanced = decideTick(r, good, at(121));
    expect(kinds(advanced)).toEqual(["open_wave", "offer", "wave_fully_offered"]);
    expect(advanced.release.waves.map((w) => w.state)).toEqual(["done", "active"]);
  });

  test("without auto-advance a wave waits for a person, or for the next wave's start time", () => {
    const r = decideTick(release([wave(1, 10), wave(2, 100, { startAt: at(600) })]), none, t0).release;
    expect(kinds(decideTick(r, () => ({ installed: 100, failed: 0 }), at(599)))).toEqual([]);
    expect(kinds(decideTick(r, none, at(600)))[0]).toBe("open_wave");
  });

  test("completes when the last wave covers everyone and every outcome is in", () => {
    const r = decideTick(release([wave(1, 100)], { queueSize: 20 }), none, t0).release;
    expect(kinds(decideTick(r, () => ({ installed: 18, failed: 1 }), at(5)))).toEqual([]);
    expect(decideTick(r, () => ({ installed: 19, failed: 1 }), at(5)).release.state).toBe("completed");
    const short = decideTick(release([wave(1, 50)], { queueSize: 20 }), none, t0).release;
    expect(kinds(decideTick(short, () => ({ installed: 10, failed: 0 }), at(5)))).toEqual([]);
  });

  test("invariants over random plans, outcomes and times", () => {
    const plan = fc
      .uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 5 })
      .chain((shares) =>
        fc.tuple(
          ...shares
            .sort((a, b) => a - b)
            .map((share, i) =>
              fc.record({
                rate: fc.option(fc.integer({ min: 1, max: 500 }), { nil: null }),
                auto: fc.option(fc.record({ minSuccessPercent: fc.integer({ min: 0, max: 100 }), soakMinutes: fc.integer({ min: 0, max: 300 }) }), { nil: null }),
                stop: fc.option(fc.record({ maxFailurePercent: fc.integer({ min: 0, max: 50 }), minSample: fc.integer({ min: 1, max: 50 }), action: fc.constantFrom("pause" as const, "halt" as const) }), { nil: null }),
              }).map((o) => wave(i + 1, share, { ratePerHour: o.rate, autoAdvance: o.auto, stopAt: o.stop })),
            ),
        ),
      );
    fc.assert(
      fc.property(plan, fc.integer({ min: 0, max: 5000 }), fc.array(fc.integer({ min: 1, max: 240 }), { maxLength: 20 }), fc.double({ min: 0, max: 0.3, noNaN: true }), (waves, n, steps, failShare) => {
        let r = release(waves, { queueSize: n });
        let minute = 0;
        let lastOffered = 0;
        for (const step of [0, ...steps]) {
          minute += step;
          // outcomes: the offered part of a wave has reported, a share of it failed
          const outcomes = (index: number) => {
            const to = cutPoint(r.waves[index - 1]!.share, n);
            const from = index > 1 ? cutPoint(r.waves[index - 2]!.share, n) : 0;
            const reported = Math.max(0, Math.min(r.offeredThrough, to) - from);
            const failed = Math.floor(reported * failShare);
            return { installed: reported - failed, failed };
          };
          const result = decideTick(r, outcomes, at(minute));
          r = result.release;
          expect(r.offeredThrough).toBeGreaterThanOrEqual(lastOffered);
          expect(r.offeredThrough).toBeLessThanOrEqual(n);
          const active = r.waves.filter((w) => w.state === "active");
          expect(active.length).toBeLessThanOrEqual(1);
          if (active[0]) expect(r.offeredThrough).toBeLessThanOrEqual(cutPoint(active[0].share, n));
          // waves open in order: no pending wave before an opened one
          const states = r.waves.map((w) => w.state);
          expect(states.join(",")).toMatch(/^(done,)*(active|done)?(,pending)*$|^(pending,?)*$/);
          lastOffered = r.offeredThrough;
        }
      }),
      { numRuns: 300 },
    );
  });

  test("applyDecision keeps the clock's bookkeeping for a newly opened wave", () => {
    const r = applyDecision(release([wave(1, 10), wave(2, 100)], { offeredThrough: 100 }), { kind: "open_wave", wave: 2 }, at(7));
    expect(r.clockStartedAt).toEqual(at(7));
    expect(r.offeredAtClockStart).toBe(100);
    expect(r.waves.map((w) => w.state)).toEqual(["done", "active"]);
  });
});

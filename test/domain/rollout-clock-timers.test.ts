import { describe, expect, test } from "vitest";
import { pauseClock, resumeClock } from "../../src/domain/clock-timers";
import { type ClockWave, decideTick } from "../../src/domain/rollout-clock";
import { type PlannedWave, applyPlan } from "../../src/domain/wave-plan";
import { at, kinds, none, release, t0, wave } from "../helpers/clock";

// The rules a 10-day simulated rollout found wrong: a rate change, a pause
// and late joiners must not stall, skip or block the clock.

const asPlan = (w: ClockWave, ratePerHour: number | null): PlannedWave => ({
  name: w.name,
  share: w.share,
  ratePerHour,
  startAt: w.startAt,
  autoAdvance: w.autoAdvance,
  stopAt: w.stopAt,
});

describe("the rollout clock's timers", () => {
  test("a re-plan that halves the active wave's rate counts from when it is applied: no stall", () => {
    let r = decideTick(release([wave(1, 100, { ratePerHour: 120 })]), none, t0).release;
    r = decideTick(r, none, at(30)).release;
    expect(r.offeredThrough).toBe(60);
    r = applyPlan(r, [asPlan(r.waves[0]!, 60)], at(30));
    // one minute at 60/h is one more offer, not nothing until the old clock catches up
    expect(decideTick(r, none, at(31)).decisions).toEqual([{ kind: "offer", through: 61 }]);
    expect(decideTick(r, none, at(90)).release.offeredThrough).toBe(120);
  });

  test("a re-plan that doubles the rate brings no burst of the time already spent", () => {
    let r = decideTick(release([wave(1, 100, { ratePerHour: 60 })]), none, t0).release;
    r = decideTick(r, none, at(30)).release;
    r = applyPlan(r, [asPlan(r.waves[0]!, 120)], at(30));
    expect(decideTick(r, none, at(31)).release.offeredThrough).toBe(32);
  });

  test("pausing stops the soak timer; resuming continues it where it stood", () => {
    const auto = { minSuccessPercent: 90, soakMinutes: 120 };
    const good = () => ({ installed: 10, failed: 0 });
    let r = decideTick(release([wave(1, 1, { autoAdvance: auto }), wave(2, 100)]), none, t0).release;
    expect(r.waves[0]!.fullyOfferedAt).toEqual(t0);
    r = resumeClock(pauseClock(r, at(60)), at(120));
    // 60 minutes soaked before the pause, 50 after: 110 of 120
    expect(kinds(decideTick(r, good, at(170)))).toEqual([]);
    expect(kinds(decideTick(r, good, at(181)))[0]).toBe("open_wave");
    // the fact stays a fact: the wave was fully offered at t0
    expect(r.waves[0]!.fullyOfferedAt).toEqual(t0);
  });

  test("pausing stops the rate clock: paused time is neither made up in a burst nor lost", () => {
    let r = decideTick(release([wave(1, 100, { ratePerHour: 60 })]), none, t0).release;
    r = decideTick(r, none, at(10)).release;
    r = resumeClock(pauseClock(r, at(10)), at(70));
    expect(decideTick(r, none, at(70)).release.offeredThrough).toBe(10);
    expect(decideTick(r, none, at(80)).release.offeredThrough).toBe(20);
  });

  test("a last wave that reached everyone completes although cars keep joining after it", () => {
    // 20 cars, all offered at t0 and all reported; then 5 join the end and are offered too
    let r = decideTick(release([wave(1, 100)], { queueSize: 20 }), none, t0).release;
    expect(r.waves[0]!.fullyOfferedThrough).toBe(20);
    r = { ...r, queueSize: 25 };
    const outcomes = () => ({ installed: 19, failed: 1 });
    const result = decideTick(r, outcomes, at(5));
    expect(kinds(result)).toEqual(["offer", "complete"]);
    expect(result.release.offeredThrough).toBe(25);
  });

  test("the last wave still waits for the outcomes of the cars it had when it reached everyone", () => {
    let r = decideTick(release([wave(1, 100)], { queueSize: 20 }), none, t0).release;
    r = { ...r, queueSize: 25 };
    expect(kinds(decideTick(r, () => ({ installed: 18, failed: 1 }), at(5)))).toEqual(["offer"]);
  });
});

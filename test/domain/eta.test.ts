import { describe, expect, test } from "vitest";
import { etaRange } from "../../src/domain/eta";
import { offerForecast, waveWindows } from "../../src/domain/forecast";
import { type ClockRelease, type ClockWave, decideTick } from "../../src/domain/rollout-clock";

const t0 = new Date("2026-11-01T08:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);
const hour = 3_600_000;
const beat = 15_000;

const wave = (index: number, share: number, extra: Partial<ClockWave> = {}): ClockWave => ({
  index, name: `w${index}`, share, ratePerHour: null, startAt: null, autoAdvance: null, stopAt: null,
  state: "pending", openedAt: null, fullyOfferedAt: null, soakStartedAt: null, fullyOfferedThrough: null, ...extra,
});
const start = (waves: ClockWave[], queueSize: number): ClockRelease =>
  decideTick({ state: "rolling_out", queueSize, offeredThrough: 0, clockStartedAt: null, offeredAtClockStart: 0, pausedAt: null, waves }, () => ({ installed: 0, failed: 0 }), t0).release;

const range = (r: ClockRelease, position: number, now: Date) => {
  const forecast = offerForecast(r, waveWindows(r, now), position, now);
  return forecast && { forecast, ...etaRange(forecast, now, beat) };
};
const share = (x: { earliest: Date; latest: Date }, now: Date, due: Date) =>
  (x.latest.getTime() - x.earliest.getTime()) / (due.getTime() - now.getTime());

describe("ETA ranges", () => {
  test("inside the active wave at a fixed rate the range is narrow: the beat and a small drift", () => {
    const r = start([wave(1, 100, { ratePerHour: 100 })], 10_000);
    const eta = range(r, 1000, t0)!;
    expect(eta.forecast.at).toEqual(at(10 * hour));
    expect(share(eta, t0, eta.forecast.at)).toBeLessThanOrEqual(0.15);
    expect(eta.earliest.getTime()).toBeLessThanOrEqual(at(10 * hour).getTime());
    expect(eta.latest.getTime()).toBeGreaterThanOrEqual(at(10 * hour + beat).getTime());
  });

  test("behind a soak + success rule the range leans later than behind a fixed start", () => {
    const auto = { minSuccessPercent: 90, soakMinutes: 240 };
    const ruled = start([wave(1, 10, { autoAdvance: auto }), wave(2, 100, { ratePerHour: 100 })], 1000);
    const fixed = start([wave(1, 10), wave(2, 100, { ratePerHour: 100, startAt: at(4 * hour) })], 1000);
    const [a, b] = [range(ruled, 200, t0)!, range(fixed, 200, t0)!];
    expect(a.forecast.at).toEqual(b.forecast.at);
    expect(a.latest.getTime() - b.latest.getTime()).toBeGreaterThanOrEqual(hour);
    expect(a.earliest).toEqual(b.earliest);
  });

  test("at 50 offers a beat a car 16 places away sees the next beat, and is offered by it", () => {
    // 12,000/h is 50 per 15-second beat: "you are next" lasts less than a beat, so the range says so
    let r = start([wave(1, 100, { ratePerHour: 12_000 })], 10_000);
    r = decideTick(r, () => ({ installed: 0, failed: 0 }), at(beat)).release;
    const now = at(beat);
    const position = r.offeredThrough + 17;
    const eta = range(r, position, now)!;
    expect(eta.earliest.getTime()).toBeGreaterThanOrEqual(now.getTime());
    expect(eta.latest.getTime()).toBeLessThanOrEqual(now.getTime() + 2 * beat);
    const next = decideTick(r, () => ({ installed: 0, failed: 0 }), at(2 * beat)).release;
    expect(next.offeredThrough).toBeGreaterThanOrEqual(position);
  });

  test("paused, or waiting for a person: no range at all", () => {
    const r = start([wave(1, 10), wave(2, 100)], 1000);
    expect(range(r, 500, t0)).toBeNull();
    expect(range({ ...start([wave(1, 100, { ratePerHour: 10 })], 1000), state: "paused" }, 500, t0)).toBeNull();
  });
});

import { expect, test } from "vitest";
import { etaRange } from "../../src/domain/eta";
import { offerForecast, waveWindows } from "../../src/domain/forecast";
import { pauseClock, resumeClock } from "../../src/domain/clock-timers";
import { type ClockRelease, type ClockWave, decideTick } from "../../src/domain/rollout-clock";
import { applyPlan } from "../../src/domain/wave-plan";
import { waveRanges } from "../../src/domain/waves";

// A 20,000-car rollout over days, driven through the pure clock with an
// injected time, one beat (a Workers cron minute) at a time: cars report
// after random delays, some fail and some never report, cars keep joining,
// the release is paused for 90 minutes and the last wave's rate is cut by a
// re-plan. Every 3 hours each sampled car still waiting looks at its ETA; at
// the end each range shown is judged against when the car was really offered.

const minute = 60_000;
const hour = 60 * minute;
const beatMs = minute;
const t0 = Date.parse("2026-11-01T08:00:00Z");
const cars = 20_000;

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Outcome counts per position, summed over any range in log time. */
class Counts {
  private tree: Int32Array;
  constructor(size: number) {
    this.tree = new Int32Array(size + 1);
  }
  add(position: number) {
    for (let i = position; i < this.tree.length; i += i & -i) this.tree[i]!++;
  }
  upTo(position: number) {
    let sum = 0;
    for (let i = Math.min(position, this.tree.length - 1); i > 0; i -= i & -i) sum += this.tree[i]!;
    return sum;
  }
}

const wave = (index: number, share: number, extra: Partial<ClockWave>): ClockWave => ({
  index, name: `w${index}`, share, ratePerHour: null, startAt: null, autoAdvance: null, stopAt: null,
  state: "pending", openedAt: null, fullyOfferedAt: null, soakStartedAt: null, fullyOfferedThrough: null, ...extra,
});

type Shown = { position: number; at: number; earliest: number; latest: number };

function simulate(seed: number) {
  const rand = random(seed);
  const capacity = cars + 2_000;
  const installed = new Counts(capacity);
  const failed = new Counts(capacity);
  const offeredAt = new Float64Array(capacity + 1).fill(NaN);
  const due = new Map<number, { position: number; failed: boolean }[]>();
  const shown: Shown[] = [];
  let release: ClockRelease = {
    state: "rolling_out", queueSize: cars, offeredThrough: 0, clockStartedAt: null, offeredAtClockStart: 0, pausedAt: null,
    waves: [
      wave(1, 1, { autoAdvance: { minSuccessPercent: 95, soakMinutes: 120 }, stopAt: { maxFailurePercent: 10, minSample: 50, action: "pause" } }),
      wave(2, 10, { ratePerHour: 150, autoAdvance: { minSuccessPercent: 95, soakMinutes: 240 } }),
      wave(3, 40, { ratePerHour: 300, startAt: new Date(t0 + 72 * hour), autoAdvance: { minSuccessPercent: 95, soakMinutes: 180 } }),
      wave(4, 100, { ratePerHour: 400, autoAdvance: { minSuccessPercent: 95, soakMinutes: 180 } }),
    ],
  };
  const sampled = (position: number) => position % 20 === 1 || (position > cars && position % 5 === 0);
  for (let beat = 0; beat <= (10 * 24 * hour) / beatMs && release.state !== "completed"; beat++) {
    const now = new Date(t0 + beat * beatMs);
    const elapsed = beat * beatMs;
    if (elapsed === 80 * hour) release = pauseClock(release, now);
    if (elapsed === 81.5 * hour) release = resumeClock(release, now);
    if (elapsed === 100 * hour) {
      const plan = release.waves.map(({ name, share, ratePerHour, startAt, autoAdvance, stopAt }) => ({ name, share, ratePerHour, startAt, autoAdvance, stopAt }));
      plan[3] = { ...plan[3]!, ratePerHour: 360 };
      release = applyPlan(release, plan, now);
    }
    // A car joins the end of the queue every 30 minutes.
    if (elapsed % (30 * minute) === 0 && beat > 0) release = { ...release, queueSize: release.queueSize + 1 };
    for (const outcome of due.get(beat) ?? []) (outcome.failed ? failed : installed).add(outcome.position);
    due.delete(beat);

    const ranges = waveRanges(release.waves.map((w) => w.share), release.queueSize);
    const outcomes = (index: number) => {
      const { from, to } = ranges[index - 1]!;
      return { installed: installed.upTo(to) - installed.upTo(from - 1), failed: failed.upTo(to) - failed.upTo(from - 1) };
    };
    const before = release.offeredThrough;
    release = decideTick(release, outcomes, now).release;
    for (let position = before + 1; position <= release.offeredThrough; position++) {
      offeredAt[position] = now.getTime();
      // 3% never report; the rest after 20 minutes plus an exponential delay (mean 45 minutes); 2% fail.
      if (rand() < 0.03) continue;
      const delay = 20 * minute - Math.log(1 - rand()) * 45 * minute;
      const at = beat + Math.ceil(delay / beatMs);
      due.set(at, [...(due.get(at) ?? []), { position, failed: rand() < 0.02 }]);
    }

    if (elapsed % (3 * hour) !== 0 || release.state !== "rolling_out") continue;
    const windows = waveWindows(release, now);
    for (let position = release.offeredThrough + 1; position <= release.queueSize; position++) {
      if (!sampled(position)) continue;
      const forecast = offerForecast(release, windows, position, now);
      if (!forecast) continue;
      const range = etaRange(forecast, now, beatMs);
      shown.push({ position, at: now.getTime(), earliest: range.earliest.getTime(), latest: range.latest.getTime() });
    }
  }
  return { release, offeredAt, shown };
}

function judge(shown: Shown[], offeredAt: Float64Array) {
  const judged = shown.filter((s) => !Number.isNaN(offeredAt[s.position]!));
  const inside = judged.filter((s) => s.earliest <= offeredAt[s.position]! && offeredAt[s.position]! <= s.latest).length;
  const widths = judged.map((s) => (s.latest - s.earliest) / (offeredAt[s.position]! - s.at)).sort((a, b) => a - b);
  return { count: judged.length, inside: judged.length ? inside / judged.length : 0, medianWidth: widths[Math.floor(widths.length / 2)] ?? 0 };
}

test("ETA ranges in a simulated 20,000-car rollout: honest (≥ 95% of offers inside) and narrow (median ≤ 20% of the wait)", () => {
  const { release, offeredAt, shown } = simulate(20261101);
  const all = judge(shown, offeredAt);
  const dayAhead = judge(shown.filter((s) => offeredAt[s.position]! - s.at >= 24 * hour), offeredAt);
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  console.log(
    `ETA simulation: ${release.offeredThrough} of ${release.queueSize} offered, state ${release.state}; ` +
      `${all.count} ranges judged: ${pct(all.inside)} inside, median width ${pct(all.medianWidth)} of the remaining wait; ` +
      `shown a day or more ahead: ${dayAhead.count}, ${pct(dayAhead.inside)} inside, median width ${pct(dayAhead.medianWidth)}`,
  );
  expect(release.state).toBe("completed");
  expect(release.offeredThrough).toBe(release.queueSize);
  expect(all.count).toBeGreaterThan(10_000);
  expect(all.inside).toBeGreaterThanOrEqual(0.95);
  expect(all.medianWidth).toBeLessThanOrEqual(0.2);
  expect(dayAhead.inside).toBeGreaterThanOrEqual(0.95);
});

import { type ClockRelease, type ClockWave, type WaveOutcomes, type decideTick } from "../../src/domain/rollout-clock";

// Builders for the pure clock's tests: a release at t0 with waves of given shares.

export const t0 = new Date("2026-11-01T08:00:00Z");
export const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

export const wave = (index: number, share: number, extra: Partial<ClockWave> = {}): ClockWave => ({
  index,
  name: `w${index}`,
  share,
  ratePerHour: null,
  startAt: null,
  autoAdvance: null,
  stopAt: null,
  state: "pending",
  openedAt: null,
  fullyOfferedAt: null,
  soakStartedAt: null,
  fullyOfferedThrough: null,
  ...extra,
});

export const release = (waves: ClockWave[], extra: Partial<ClockRelease> = {}): ClockRelease => ({
  state: "rolling_out",
  queueSize: 1000,
  offeredThrough: 0,
  clockStartedAt: null,
  offeredAtClockStart: 0,
  pausedAt: null,
  waves,
  ...extra,
});

export const none = (): WaveOutcomes => ({ installed: 0, failed: 0 });
export const kinds = (r: ReturnType<typeof decideTick>) => r.decisions.map((d) => d.kind);

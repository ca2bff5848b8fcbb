import { caseStopReason, offeredInWave } from "./case-rule";
import { offerTarget, pauseClock } from "./clock-timers";
import { cutPoint } from "./waves";

// The rollout clock as pure decisions: given a release's plan, where offering
// stands and the outcomes per wave, what happens at `now`. The service applies
// the decisions in SQL; nothing here knows about HTTP or a database.

export type AutoAdvanceRule = { minSuccessPercent: number; soakMinutes: number };
/**
 * When a wave stops the release: on its failure rate (over `minSample`
 * outcomes), and optionally on support cases per 1,000 offered (once
 * `minOffered` were offered). `action` says whether it pauses or halts.
 * (A plan that wants the case rule alone sets maxFailurePercent 100, which never fires.)
 */
export type StopRule = {
  maxFailurePercent: number;
  minSample: number;
  maxCasesPerThousand?: number;
  minOffered?: number;
  action: "pause" | "halt";
};

export type ClockWave = {
  index: number;
  name: string;
  share: number;
  ratePerHour: number | null;
  startAt: Date | null;
  autoAdvance: AutoAdvanceRule | null;
  stopAt: StopRule | null;
  state: "pending" | "active" | "done";
  openedAt: Date | null;
  /** When the wave first reached its cut point: a fact, kept for history. */
  fullyOfferedAt: Date | null;
  /** The soak counts from here: `fullyOfferedAt`, moved on by the time the release was paused. */
  soakStartedAt: Date | null;
  /** The wave's reach when it was first fully offered; late joiners after it are not waited for. */
  fullyOfferedThrough: number | null;
};

export type ClockRelease = {
  state: "draft" | "rolling_out" | "paused" | "completed" | "halted";
  queueSize: number;
  offeredThrough: number;
  clockStartedAt: Date | null;
  offeredAtClockStart: number;
  /** Set while paused: on resume the soak timer moves on by the paused time. */
  pausedAt: Date | null;
  waves: ClockWave[];
};

/** Outcomes so far among a wave's vehicles, and the support cases linked to the wave. */
export type WaveOutcomes = { installed: number; failed: number; cases?: number };

export type ClockDecision =
  | { kind: "open_wave"; wave: number }
  | { kind: "offer"; through: number }
  | { kind: "wave_fully_offered"; wave: number }
  | { kind: "stop"; action: "pause" | "halt"; wave: number; reason: string }
  | { kind: "complete" };

/** failed ÷ (installed + failed), or null before any outcome. */
export function failureRate({ installed, failed }: WaveOutcomes): number | null {
  const outcomes = installed + failed;
  return outcomes === 0 ? null : failed / outcomes;
}

/** The stop rule fires once `minSample` outcomes are in and the failure rate is above the limit. */
export function stopReason(wave: ClockWave, outcomes: WaveOutcomes): string | null {
  const rule = wave.stopAt;
  const rate = failureRate(outcomes);
  if (!rule || rate === null || outcomes.installed + outcomes.failed < rule.minSample) return null;
  if (rate * 100 <= rule.maxFailurePercent) return null;
  return (
    `Wave ${wave.index} (${wave.name}) failure rate ${(rate * 100).toFixed(1)}% is above ` +
    `${rule.maxFailurePercent}% over ${outcomes.installed + outcomes.failed} outcomes`
  );
}

/** Auto-advance: the wave was fully offered, soaked long enough and succeeds often enough. */
export function readyToAdvance(wave: ClockWave, outcomes: WaveOutcomes, now: Date): boolean {
  const rule = wave.autoAdvance;
  const soakFrom = wave.soakStartedAt ?? wave.fullyOfferedAt;
  if (!rule || !soakFrom) return false;
  if (now.getTime() - soakFrom.getTime() < rule.soakMinutes * 60_000) return false;
  const outcomeCount = outcomes.installed + outcomes.failed;
  const needed = Math.max(1, wave.stopAt?.minSample ?? 1);
  return outcomeCount >= needed && (outcomes.installed / outcomeCount) * 100 >= rule.minSuccessPercent;
}

/** Applies a decision to a snapshot; shared by `decideTick` and the simulations in tests. */
export function applyDecision(release: ClockRelease, decision: ClockDecision, now: Date): ClockRelease {
  switch (decision.kind) {
    case "open_wave":
      return {
        ...release,
        clockStartedAt: now,
        offeredAtClockStart: release.offeredThrough,
        waves: release.waves.map((w) =>
          w.index === decision.wave
            ? { ...w, state: "active", openedAt: now }
            : w.state === "active" || w.index < decision.wave
              ? { ...w, state: "done" }
              : w,
        ),
      };
    case "offer":
      return { ...release, offeredThrough: Math.max(release.offeredThrough, decision.through) };
    case "wave_fully_offered":
      return {
        ...release,
        waves: release.waves.map((w) =>
          w.index === decision.wave ? { ...w, fullyOfferedAt: now, soakStartedAt: now, fullyOfferedThrough: release.offeredThrough } : w,
        ),
      };
    case "stop":
      return decision.action === "pause" ? pauseClock(release, now) : { ...release, state: "halted" };
    case "complete":
      return { ...release, state: "completed", waves: release.waves.map((w) => ({ ...w, state: "done" })) };
  }
}

/** The next step for a rolling-out release, or null when nothing is due. */
function nextDecision(release: ClockRelease, outcomes: (wave: number) => WaveOutcomes, now: Date): ClockDecision | null {
  for (const wave of release.waves) {
    if (wave.state === "pending") continue;
    const result = outcomes(wave.index);
    const reason = stopReason(wave, result) ?? caseStopReason(wave, result.cases ?? 0, offeredInWave(release, wave.index));
    if (reason && wave.stopAt) return { kind: "stop", action: wave.stopAt.action, wave: wave.index, reason };
  }
  const active = release.waves.find((w) => w.state === "active");
  if (!active) {
    const first = release.waves.find((w) => w.state === "pending");
    const opensNow = first && (!first.startAt || first.startAt <= now);
    return opensNow && release.waves.every((w) => w.state === "pending") ? { kind: "open_wave", wave: first.index } : null;
  }
  const cut = cutPoint(active.share, release.queueSize);
  const target = offerTarget(release, active, now);
  if (target > release.offeredThrough) return { kind: "offer", through: target };
  if (release.offeredThrough < cut) return null;
  if (!active.fullyOfferedAt) return { kind: "wave_fully_offered", wave: active.index };

  const next = release.waves.find((w) => w.index === active.index + 1);
  const result = outcomes(active.index);
  if (next) {
    const scheduled = next.startAt !== null && next.startAt <= now;
    const earned = next.startAt === null && readyToAdvance(active, result, now);
    return scheduled || earned ? { kind: "open_wave", wave: next.index } : null;
  }
  // The plan stops short of the whole queue, or there is no one yet (late joiners may come).
  if (cut < release.queueSize || release.queueSize === 0) return null;
  // Completion waits for the outcomes of the cars the last wave had when it first
  // reached everyone (or for its auto-advance rule). Cars that join after that are
  // offered as they join and never hold the release open; once it is completed,
  // later joiners are offered on joining (services/queue.ts, enqueueLateJoiners).
  const reach = Math.min(cut, active.fullyOfferedThrough ?? cut);
  const previous = release.waves[active.index - 2];
  const size = reach - (previous ? cutPoint(previous.share, release.queueSize) : 0);
  const allIn = result.installed + result.failed >= size;
  return allIn || readyToAdvance(active, result, now) ? { kind: "complete" } : null;
}

/** Everything due at `now`, in order; empty unless the release is rolling out. */
export function decideTick(
  release: ClockRelease,
  outcomes: (wave: number) => WaveOutcomes,
  now: Date,
): { decisions: ClockDecision[]; release: ClockRelease } {
  const decisions: ClockDecision[] = [];
  let current = release;
  // Each step moves strictly forward (a wave, an offer frontier, a state), so this ends.
  for (let step = 0; step < 4 * release.waves.length + 4 && current.state === "rolling_out"; step++) {
    const decision = nextDecision(current, outcomes, now);
    if (!decision) break;
    decisions.push(decision);
    current = applyDecision(current, decision, now);
  }
  return { decisions, release: current };
}

import type { ClockRelease, ClockWave } from "./rollout-clock";
import { waveRanges } from "./waves";

// The case-driven stop rule (SPEC: Rollout clock): support cases linked to a
// wave, per 1,000 vehicles offered in it, stop the release like the failure
// rule once at least `minOffered` vehicles of the wave were offered.

/** Positions of the wave offered so far: the offer frontier clipped to the wave's range. */
export function offeredInWave(release: Pick<ClockRelease, "queueSize" | "offeredThrough" | "waves">, index: number): number {
  const range = waveRanges(release.waves.map((w) => w.share), release.queueSize)[index - 1];
  if (!range) return 0;
  return Math.min(range.size, Math.max(0, release.offeredThrough - range.from + 1));
}

/** Cases per 1,000 offered, or null before anything was offered. */
export function casesPerThousand(cases: number, offered: number): number | null {
  return offered <= 0 ? null : (cases * 1000) / offered;
}

/** Why the case rule stops the release, or null: it fires above the limit, once `minOffered` were offered. */
export function caseStopReason(wave: Pick<ClockWave, "index" | "name" | "stopAt">, cases: number, offered: number): string | null {
  const rule = wave.stopAt;
  if (rule?.maxCasesPerThousand === undefined) return null;
  const rate = casesPerThousand(cases, offered);
  if (rate === null || offered < (rule.minOffered ?? 1)) return null;
  if (rate <= rule.maxCasesPerThousand) return null;
  return (
    `Wave ${wave.index} (${wave.name}) has ${cases} support case(s) per ${offered} offered, ` +
    `${rate.toFixed(1)} per 1,000, above ${rule.maxCasesPerThousand} per 1,000`
  );
}

/**
 * Waves are cut points on the queue: wave i reaches the positions up to its
 * cumulative share of the queue. Rounded up so a small wave on a small fleet
 * still reaches someone.
 */
export function cutPoint(sharePercent: number, queueSize: number): number {
  return Math.min(queueSize, Math.max(0, Math.ceil((sharePercent * queueSize) / 100 - 1e-9)));
}

export type WaveRange = { from: number; to: number; size: number };

/** Each wave of a plan (in order) with its position range, from the cumulative shares. */
export function withRanges<W extends { share: number }>(plan: readonly W[], queueSize: number): (W & WaveRange)[] {
  let previous = 0;
  return plan.map((wave) => {
    const to = Math.max(previous, cutPoint(wave.share, queueSize));
    const range = { from: previous + 1, to, size: to - previous };
    previous = to;
    return { ...wave, ...range };
  });
}

/** The position range of every wave, in order, from the cumulative shares. */
export function waveRanges(shares: readonly number[], queueSize: number): WaveRange[] {
  return withRanges(shares.map((share) => ({ share })), queueSize).map(({ from, to, size }) => ({ from, to, size }));
}

/** The wave (1-based) whose range holds the position; null past the last cut point. */
export function waveOfPosition(ranges: readonly WaveRange[], position: number): number | null {
  const i = ranges.findIndex((r) => r.from <= position && position <= r.to);
  return i === -1 ? null : i + 1;
}

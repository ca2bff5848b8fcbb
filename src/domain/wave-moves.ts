import { waveOfPosition, waveRanges } from "./waves";

// A re-plan moves cut points, so a car can change wave without its row ever
// being touched. The owner's timeline still has to say so: each recorded plan
// change is replayed against the car's position to see whether its wave moved.

export type PlanChange = { at: string; before: readonly { share: number }[]; after: readonly { share: number; name: string }[] };
export type WaveMove = { state: "replanned"; at: string; wave?: number; waveName?: string };

/** The plan changes (oldest first) that moved the car at `position` to another wave. */
export function waveMoves(changes: readonly PlanChange[], position: number, queueSize: number): WaveMove[] {
  const waveIn = (plan: readonly { share: number }[]) => waveOfPosition(waveRanges(plan.map((w) => w.share), queueSize), position);
  return changes.flatMap((change) => {
    const from = waveIn(change.before);
    const to = waveIn(change.after);
    // The first plan (nothing before it) places cars; it moves none.
    if (from === to || change.before.length === 0) return [];
    const name = to === null ? undefined : change.after[to - 1]?.name;
    return [{ state: "replanned" as const, at: change.at, ...(to === null ? {} : { wave: to }), ...(name ? { waveName: name } : {}) }];
  });
}

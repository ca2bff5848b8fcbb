import { type WaveRange, waveOfPosition, waveRanges } from "./waves";

// A re-plan moves cut points, so a car can change wave without its row ever
// being touched. The owner's timeline still has to say so: each recorded plan
// change is replayed against the car's position to see whether its wave moved.

export type PlanChange = { at: string; before: readonly { share: number }[]; after: readonly { share: number; name: string }[] };
export type WaveMove = { state: "replanned"; at: string; wave?: number; waveName?: string };

/** A plan change with both plans' wave ranges in one queue: computed once, replayed for every car of the queue. */
export type ReplayablePlanChange = { at: string; before: WaveRange[]; after: WaveRange[]; names: readonly string[]; first: boolean };

export function replayable(changes: readonly PlanChange[], queueSize: number): ReplayablePlanChange[] {
  const ranges = (plan: readonly { share: number }[]) => waveRanges(plan.map((w) => w.share), queueSize);
  return changes.map((change) => ({
    at: change.at,
    before: ranges(change.before),
    after: ranges(change.after),
    names: change.after.map((w) => w.name),
    // The first plan (nothing before it) places cars; it moves none.
    first: change.before.length === 0,
  }));
}

/** The replayable plan changes (oldest first) that moved the car at `position` to another wave. */
export function movesOf(changes: readonly ReplayablePlanChange[], position: number): WaveMove[] {
  return changes.flatMap((change) => {
    const from = waveOfPosition(change.before, position);
    const to = waveOfPosition(change.after, position);
    if (from === to || change.first) return [];
    const name = to === null ? undefined : change.names[to - 1];
    return [{ state: "replanned" as const, at: change.at, ...(to === null ? {} : { wave: to }), ...(name ? { waveName: name } : {}) }];
  });
}

/** The plan changes (oldest first) that moved the car at `position` to another wave. */
export function waveMoves(changes: readonly PlanChange[], position: number, queueSize: number): WaveMove[] {
  return movesOf(replayable(changes, queueSize), position);
}

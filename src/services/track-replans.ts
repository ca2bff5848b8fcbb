import { z } from "zod";
import { type ReplayablePlanChange, type WaveMove, movesOf, replayable } from "../domain/wave-moves";

// The plan summaries that `waves.replanned` audit rows record (before / after)
// come with the owner's one-query read (track-context.ts `replans`); this
// replays them against the car's position for its timeline. They are the
// release's, alike for all its cars: parsed and put on the queue's ranges once
// per release (releaseReplans), then replayed per car (replanSteps).

const Wave = z.object({ name: z.string(), share: z.number() });
const Plan = z.object({ waves: z.array(Wave) });
// `before` was the bare list of waves in older rows and is { waves } since the console's field-by-field audit view.
const Change = z.object({ at: z.coerce.date(), before: z.union([z.array(Wave), Plan.transform((p) => p.waves)]), after: Plan });

export type ReleaseReplans = { atMs: number; change: ReplayablePlanChange }[];

/** The release's plan changes on a queue of `queueSize`, ready to replay for any of its cars. */
export function releaseReplans(rows: readonly unknown[], queueSize: number): ReleaseReplans {
  const changes = rows.flatMap((row) => {
    const parsed = Change.safeParse(row);
    // A summary in another shape (older rows) cannot be replayed; it is left out rather than guessed.
    if (!parsed.success) return [];
    return [{ at: parsed.data.at.toISOString(), before: parsed.data.before, after: parsed.data.after.waves }];
  });
  return replayable(changes, queueSize).map((change) => ({ atMs: Date.parse(change.at), change }));
}

/** Timeline steps for the re-plans since `since` that moved the car at `position` to another wave. */
export function replanSteps(replans: ReleaseReplans, position: number, since: string): WaveMove[] {
  const from = Date.parse(since);
  return movesOf(
    replans.filter((r) => !(r.atMs <= from)).map((r) => r.change),
    position,
  );
}

import { z } from "zod";
import { type WaveMove, waveMoves } from "../domain/wave-moves";

// The plan summaries that `waves.replanned` audit rows record (before / after)
// come with the owner's one-query read (track-context.ts `replans`); this
// replays them against the car's position for its timeline.

const Wave = z.object({ name: z.string(), share: z.number() });
const Plan = z.object({ waves: z.array(Wave) });
// `before` was the bare list of waves in older rows and is { waves } since the console's field-by-field audit view.
const Change = z.object({ at: z.coerce.date(), before: z.union([z.array(Wave), Plan.transform((p) => p.waves)]), after: Plan });

/** Timeline steps for the re-plans since `since` that moved the car at `position` to another wave. */
export function replanSteps(rows: readonly unknown[], queueSize: number, position: number, since: string): WaveMove[] {
  const from = Date.parse(since);
  const changes = rows.flatMap((row) => {
    const parsed = Change.safeParse(row);
    // A summary in another shape (older rows) cannot be replayed; it is left out rather than guessed.
    if (!parsed.success || parsed.data.at.getTime() <= from) return [];
    return [{ at: parsed.data.at.toISOString(), before: parsed.data.before, after: parsed.data.after.waves }];
  });
  return waveMoves(changes, position, queueSize);
}

import { sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { rowsOf } from "../db/rows";
import type { WaveRange } from "../domain/waves";
import { type StateCounts, type UpdateState, emptyCounts } from "../domain/update-state";

/** Must match the block size in the queue_counters_trigger migration. */
export const blockSize = 1024;

type Segment = { wave: number; full: boolean; a: number; b: number };

/** Whole blocks inside a range come from the counters; the ragged edges are counted live. */
export function segmentsOf(wave: number, range: WaveRange): Segment[] {
  if (range.size <= 0) return [];
  const firstFull = Math.ceil(range.from / blockSize);
  const lastFull = Math.floor((range.to + 1) / blockSize) - 1;
  if (firstFull > lastFull) return [{ wave, full: false, a: range.from, b: range.to }];
  const segments: Segment[] = [{ wave, full: true, a: firstFull, b: lastFull }];
  if (range.from < firstFull * blockSize) segments.push({ wave, full: false, a: range.from, b: firstFull * blockSize - 1 });
  if ((lastFull + 1) * blockSize <= range.to) segments.push({ wave, full: false, a: (lastFull + 1) * blockSize, b: range.to });
  return segments;
}

/**
 * Per-state counts of each wave's position range, in one query whose cost
 * does not grow with the fleet: at most 2×1023 entries are read live.
 */
export async function countsByWave(db: DbOrTx, releaseId: number, ranges: WaveRange[]): Promise<StateCounts[]> {
  const segments = ranges.flatMap((range, i) => segmentsOf(i + 1, range));
  const result = ranges.map(() => emptyCounts());
  if (segments.length === 0) return result;
  // One small indexed read per segment, unioned: literal bounds keep the planner on
  // the indexes whatever its row estimates are.
  const parts = segments.map((s) =>
    s.full
      ? sql`select ${s.wave}::int as wave, state, count as n from queue_counts
            where release_id = ${releaseId} and block between ${s.a} and ${s.b}`
      : sql`select ${s.wave}::int as wave, state, count(*)::int as n from queue_entries
            where release_id = ${releaseId} and position between ${s.a} and ${s.b} group by state`,
  );
  const rows = rowsOf<{ wave: number; state: UpdateState; n: number }>(
    await db.execute(sql`select wave, state, sum(n)::int as n from (${sql.join(parts, sql` union all `)}) parts group by 1, 2`),
  );
  for (const row of rows) result[row.wave - 1]![row.state] += row.n;
  return result;
}

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
  const rows = rowsOf<{ wave: number; state: UpdateState; n: number }>(
    await db.execute(sql`
      with seg as (
        select * from json_to_recordset(${JSON.stringify(segments)}::json) as s(wave int, "full" boolean, a int, b int)
      )
      select wave, state, sum(n)::int as n from (
        select s.wave, c.state, c.count as n
        from seg s join queue_counts c on c.release_id = ${releaseId} and c.block between s.a and s.b
        where s."full"
        union all
        select s.wave, q.state, count(*) as n
        from seg s join queue_entries q on q.release_id = ${releaseId} and q.position between s.a and s.b
        where not s."full"
        group by 1, 2
      ) parts group by 1, 2`),
  );
  for (const row of rows) result[row.wave - 1]![row.state] += row.n;
  return result;
}

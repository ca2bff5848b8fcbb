import { sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { prepared } from "../db/prepared";
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

// Segments travel as int[] literals ('{1,2}'), which PGlite and postgres.js
// bind alike; the statement stays the same whatever the plan, so it is prepared
// once. Each segment is read by its own range scan (a LATERAL subquery kept
// apart by OFFSET 0): as a plain join, the generic plan read every entry of the
// release in a parallel bitmap scan and filtered the ranges afterwards (150 ms
// for a 2,000-position edge of a 200k queue, against 1.6 ms; it ran after
// every report batch, in the rules tick).
// Wave 0 collects what lies outside every wave, wave -1 the release's totals.
const countsQuery = (db: DbOrTx) =>
  db
    .select({ wave: sql<number>`wave`, state: sql<UpdateState>`state`, n: sql<number>`n` })
    .from(
      sql`(select s.wave, c.state, sum(c.count)::int as n
           from unnest(${sql.placeholder("blockWaves")}::int[], ${sql.placeholder("blockFrom")}::int[], ${sql.placeholder("blockTo")}::int[]) as s(wave, a, b)
           cross join lateral (select c.state, c.count from queue_counts c
                               where c.release_id = ${sql.placeholder("release")}::int and c.block between s.a and s.b offset 0) c
           group by 1, 2
           union all
           select s.wave, q.state, count(*)::int
           from unnest(${sql.placeholder("edgeWaves")}::int[], ${sql.placeholder("edgeFrom")}::int[], ${sql.placeholder("edgeTo")}::int[]) as s(wave, a, b)
           cross join lateral (select q.state from queue_entries q
                               where q.release_id = ${sql.placeholder("release")}::int and q.position between s.a and s.b offset 0) q
           group by 1, 2
           union all
           select -1, t.state, sum(t.count)::int from release_counts t where t.release_id = ${sql.placeholder("release")}::int
           group by 1, 2) as parts`,
    )
    .prepare("counts_by_wave");

const intArray = (values: number[]) => `{${values.join(",")}}`;
/** Past the last wave: every position a queue can hold. */
const lastPosition = 2 ** 31 - 1;

/**
 * Per-state counts of each wave's position range, in one prepared query. The
 * largest wave (on a million-car release, the last one: ~950 blocks) is not
 * read at all: it is the release's totals (release_counts, a few dozen rows)
 * minus the other waves and what lies outside every wave (entries without a
 * position, positions past the last cut point). The others come from whole
 * blocks of the counters, with at most 2×1023 entries per range read live.
 */
export async function countsByWave(db: DbOrTx, releaseId: number, ranges: WaveRange[]): Promise<StateCounts[]> {
  const result = ranges.map(() => emptyCounts());
  if (ranges.every((r) => r.size <= 0)) return result;
  const largest = ranges.reduce((best, r, i) => (r.size > (ranges[best]?.size ?? 0) ? i : best), 0);
  const first = ranges[0]?.from ?? 1;
  const last = Math.max(first - 1, ...ranges.map((r) => r.to));
  const outside = [
    { wave: 0, full: true, a: -1, b: -1 },
    ...segmentsOf(0, { from: 0, to: first - 1, size: first }),
    ...segmentsOf(0, { from: last + 1, to: lastPosition, size: lastPosition - last }),
  ];
  const segments = [...ranges.flatMap((range, i) => (i === largest ? [] : segmentsOf(i + 1, range))), ...outside];
  const blocks = segments.filter((s) => s.full);
  const edges = segments.filter((s) => !s.full);
  const rows = await prepared(db, "counts_by_wave", countsQuery).execute({
    release: releaseId,
    blockWaves: intArray(blocks.map((s) => s.wave)),
    blockFrom: intArray(blocks.map((s) => s.a)),
    blockTo: intArray(blocks.map((s) => s.b)),
    edgeWaves: intArray(edges.map((s) => s.wave)),
    edgeFrom: intArray(edges.map((s) => s.a)),
    edgeTo: intArray(edges.map((s) => s.b)),
  });
  const rest = result[largest];
  for (const row of rows) {
    const wave = result[row.wave - 1];
    if (wave) wave[row.state] += row.n;
    // The largest wave: what the release holds, less what everything else holds.
    if (rest) rest[row.state] += row.wave === -1 ? row.n : -row.n;
  }
  return result;
}

/**
 * Folds the writers' counter stripes (1-8) into stripe 0, in one statement, so
 * block reads stay small. Rows a writer holds are skipped (SKIP LOCKED) and
 * folded next time: the fold never waits on a report batch, and never takes
 * locks out of key order, so it cannot deadlock with one. Readers see the rows
 * before or after the statement, never between: the sums never change.
 */
export async function foldCounterStripes(db: DbOrTx): Promise<number> {
  const rows = rowsOf<{ n: number }>(
    await db.execute(sql`
      with picked as (
        select ctid as row from queue_counts where stripe <> 0
        order by release_id, block, state, stripe for update skip locked),
      moved as (
        delete from queue_counts q using picked where q.ctid = picked.row
        returning q.release_id, q.block, q.state, q.count),
      folded as (
        insert into queue_counts (release_id, block, state, stripe, count)
        select release_id, block, state, 0, sum(count)::int from moved group by 1, 2, 3 order by 1, 2, 3
        on conflict (release_id, block, state, stripe) do update set count = queue_counts.count + excluded.count
        returning 1)
      select (select count(*) from moved)::int as n`),
  );
  return rows[0]?.n ?? 0;
}

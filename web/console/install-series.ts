// The "Installs over time" series: the API lists only hours that had
// installs, so one busy hour drew one bar across the whole chart and a
// one-point cumulative line nobody could see. Here every hour from a little
// before the first install to now gets its bar (days once the span is long),
// and the cumulative total starts from zero.
const hour = 3_600_000;
const day = 24 * hour;
/** At least this many buckets, so one bar is never the whole chart. */
const minBuckets = 12;
/** Past this many hours, buckets are days, so bars stay wide enough to see. */
const maxHours = 72;

export type InstallSeries = { bucketMs: number; starts: number[]; counts: number[]; cumulative: number[] };

export function installSeries(points: readonly { at: string; count: number }[], now: number): InstallSeries {
  const times = points.map((p) => Date.parse(p.at));
  const first = times.length ? Math.min(...times) : now;
  const last = Math.max(now, ...times);
  const bucketMs = last - first > maxHours * hour ? day : hour;
  const floor = (t: number) => Math.floor(t / bucketMs) * bucketMs;
  const end = floor(last);
  const start = Math.min(floor(first) - bucketMs, end - (minBuckets - 1) * bucketMs);
  const starts = Array.from({ length: Math.round((end - start) / bucketMs) + 1 }, (_, i) => start + i * bucketMs);
  const counts = starts.map(() => 0);
  points.forEach((p, i) => {
    const slot = Math.round((floor(times[i] ?? 0) - start) / bucketMs);
    counts[slot] = (counts[slot] ?? 0) + p.count;
  });
  let total = 0;
  return { bucketMs, starts, counts, cumulative: counts.map((c) => (total += c)) };
}

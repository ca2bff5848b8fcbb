// Owner reads held for BENCH_SOAK_SECONDS in slices: after the warm-up the rate must stay flat.
import { no5xx } from "../lib/checks";
import { fmt, median } from "../lib/stats";
import type { Row } from "../lib/table";
import { wrk } from "../lib/wrk";
import type { BenchContext } from "./context";

export async function soakRow(ctx: BenchContext, soakSeconds: number): Promise<Row> {
  const slice = Math.min(10, Math.max(2, Math.floor(soakSeconds / 6)));
  // 30 s as in the issue (the default 60 s soak then judges its last 30 s); a third of a short soak.
  const warmUp = soakSeconds >= 60 ? 30 : Math.floor(soakSeconds / 3);
  const rates: number[] = [];
  const results = [];
  for (let t = 0; t < soakSeconds; t += slice) {
    const r = await wrk({ url: ctx.app.url, connections: 50, seconds: slice, args: ["track", ctx.big.codePrefix, String(ctx.big.size)] });
    results.push(r);
    if (t >= warmUp) rates.push(r.rate);
  }
  ctx.checks.push(no5xx("soak", results));
  const mid = median(rates);
  const spread = (Math.max(...rates) - Math.min(...rates)) / mid;
  const first = results[0]!.rate;
  return {
    path: `${fmt(soakSeconds)} s soak of owner reads (${slice} s slices, ${warmUp} s warm-up)`,
    ceiling: "—",
    figure: `${fmt(mid)} req/s after warm-up (first slice ${fmt(first)}), spread ${fmt(spread * 100, 1)}%`,
    ratio: "—",
    target: "flat within 10% after a 30 s warm-up",
    met: spread <= 0.1,
  };
}

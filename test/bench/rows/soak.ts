// Owner reads held for BENCH_SOAK_SECONDS in slices: after the warm-up the rate must stay flat.
import { no5xx } from "../lib/checks";
import { fmt, median } from "../lib/stats";
import type { Row } from "../lib/table";
import { wrk } from "../lib/wrk";
import { dbSide, dbSideDelta } from "../lib/db-side";
import { cpuMs, machineLoad, rssMb } from "../lib/proc";
import type { BenchContext } from "./context";

/** (max − min) ÷ median. */
const spreadOf = (values: number[]) => (Math.max(...values) - Math.min(...values)) / median(values);

export async function soakRow(ctx: BenchContext, soakSeconds: number): Promise<Row> {
  const slice = Math.min(10, Math.max(2, Math.floor(soakSeconds / 6)));
  // 30 s as in the issue (the default 60 s soak then judges its last 30 s); a third of a short soak.
  const warmUp = soakSeconds >= 60 ? 30 : Math.floor(soakSeconds / 3);
  const rates: number[] = [];
  const results = [];
  // Per slice, what each read cost the server and the database: on a shared machine the rate
  // also follows everyone else's load, the cost per read only what this server and database do.
  const costs: { server: number; db: number | null; rss: number; checkpoints: number }[] = [];
  for (let t = 0; t < soakSeconds; t += slice) {
    const cpu = cpuMs(ctx.app.pid);
    const db = await dbSide(ctx.db);
    const r = await wrk({ url: ctx.app.url, connections: 50, seconds: slice, args: ["track", ctx.big.codePrefix, String(ctx.big.size)] });
    const dbCost = dbSideDelta(db, await dbSide(ctx.db));
    const reads = Math.max(1, r.requests);
    costs.push({ server: (cpuMs(ctx.app.pid) - cpu) / reads, db: dbCost.cpuMs === null ? null : dbCost.cpuMs / reads, rss: rssMb(ctx.app.pid), checkpoints: dbCost.checkpoints });
    results.push(r);
    if (t >= warmUp) rates.push(r.rate);
  }
  const list = (values: (number | null)[], digits = 0) => values.map((v) => (v === null ? "?" : fmt(v, digits))).join(" / ");
  ctx.notes.push(
    `Soak, per ${slice} s slice: ${list(results.map((r) => r.rate))} req/s; server CPU per read ${list(costs.map((c) => c.server * 1000))} µs, ` +
      `Postgres backends' CPU per read ${list(costs.map((c) => (c.db === null ? null : c.db * 1000)))} µs, server RSS ${list(costs.map((c) => c.rss))} MB, ` +
      `checkpoints ${list(costs.map((c) => c.checkpoints))}; machine load after ${machineLoad()}. ` +
      `After the warm-up the server's CPU per read spread ${fmt(spreadOf(costs.slice(-rates.length).map((c) => c.server)) * 100, 1)}% ` +
      "(the rate also follows whatever else this machine runs; the settle step before the soak has vacuumed, analyzed and checkpointed after the import).",
  );
  ctx.checks.push(no5xx("soak", results));
  const spread = spreadOf(rates);
  const mid = median(rates);
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

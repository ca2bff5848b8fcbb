// Vehicle reports: gateway batches of 1,000 (against pgbench's ceiling) and
// single reports from 50 connections (against bare Hono). Counters are checked
// against a live count after each.
import { sql } from "drizzle-orm";
import { countOf, countersExact, no5xx } from "../lib/checks";
import { pgbench } from "../lib/pgbench";
import { fmt, median } from "../lib/stats";
import type { Row } from "../lib/table";
import { wrk } from "../lib/wrk";
import type { BenchContext } from "./context";
import { pairs } from "./load";

const eventCount = (ctx: BenchContext) => countOf(ctx.db, sql`select count(*)::int as n from update_events`);

export async function batchRow(ctx: BenchContext & { pgbenchUrl: string }): Promise<Row> {
  const rates: number[] = [];
  const ceilings: number[] = [];
  const results = [];
  for (let i = 0; i < ctx.rounds; i++) {
    ceilings.push(await pgbench(ctx.pgbenchUrl, { clients: 10, seconds: ctx.seconds }));
    const before = await eventCount(ctx);
    const result = await wrk({ url: ctx.app.url, connections: 4, seconds: ctx.seconds, args: ["batch", ctx.gatewayToken, ctx.big.vinPrefix, String(ctx.big.size), ctx.version] });
    results.push(result);
    rates.push(((await eventCount(ctx)) - before) / (result.durationUs / 1e6));
  }
  ctx.checks.push(no5xx("report batches", results));
  ctx.checks.push(await countersExact(ctx.db, ctx.version, "report batches"));
  const figure = median(rates);
  const ceiling = median(ceilings);
  return {
    path: "`POST /v1/reports`, batches of 1,000, 4 connections (accepted reports/s)",
    ceiling: `pgbench -S ${fmt(ceiling)} tps`,
    figure: `${fmt(figure)} reports/s`,
    ratio: `${fmt(figure / ceiling, 2)}×`,
    target: "≥ 30,000/s, counters exact",
    met: figure >= 30_000,
  };
}

export async function singleRow(ctx: BenchContext): Promise<Row> {
  const run = await pairs({ ...ctx, connections: 50, args: ["report", ctx.gatewayToken, ctx.big.vinPrefix, String(ctx.big.size), ctx.version] });
  const s5 = run.figures.reduce((n, r) => n + r.status5xx, 0);
  const total = run.figures.reduce((n, r) => n + r.requests, 0);
  ctx.checks.push(no5xx("single reports", run.figures));
  ctx.checks.push(await countersExact(ctx.db, ctx.version, "single reports"));
  return {
    path: "`POST /v1/reports`, single reports, 50 connections",
    ceiling: `${fmt(run.ceiling)} req/s`,
    figure: `${fmt(run.figure)} req/s, ${fmt(s5)} 5xx of ${fmt(total)}`,
    ratio: `${fmt(run.ratio, 3)}×`,
    target: "≥ 0.20×, no 5xx",
    met: run.ratio >= 0.2 && s5 === 0,
  };
}

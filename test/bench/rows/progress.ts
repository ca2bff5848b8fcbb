// The release's progress read by 10 dashboards at once.
import { no5xx } from "../lib/checks";
import { fmt } from "../lib/stats";
import type { Row } from "../lib/table";
import type { BenchContext } from "./context";
import { pairs } from "./load";
import { adminToken } from "../lib/api";

export async function progressRow(ctx: BenchContext): Promise<Row> {
  const run = await pairs({ ...ctx, connections: 10, args: ["get", `/v1/releases/${ctx.version}/progress`, adminToken] });
  ctx.checks.push(no5xx("progress reads", run.figures));
  const refused = run.figures.reduce((n, r) => n + r.status4xx, 0);
  ctx.checks.push({ name: "progress reads answered", ok: refused === 0, detail: `${refused} 4xx` });
  return {
    path: `\`GET …/progress\` on the ${fmt(ctx.big.size)} release, 10 connections`,
    ceiling: `${fmt(run.ceiling)} req/s`,
    figure: `${fmt(run.figure)} req/s, p99 ${fmt(run.p99Ms, 1)} ms`,
    ratio: `${fmt(run.ratio, 3)}×`,
    target: "≥ 0.25×",
    met: run.ratio >= 0.25,
  };
}

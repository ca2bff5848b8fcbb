// Owner reads of random codes over the whole fleet, and CPU per read from the same runs.
import { no5xx } from "../lib/checks";
import { codeOf } from "../lib/fleet";
import { fmt, median } from "../lib/stats";
import type { Row } from "../lib/table";
import type { BenchContext } from "./context";
import { pairs } from "./load";

export async function trackRows(ctx: BenchContext): Promise<Row[]> {
  // The figure must be of the real read: a vehicle in line for the release, not a "not eligible" short cut.
  const states = new Set<string>();
  for (let k = 0; k < 20; k++) {
    const i = Math.floor(Math.random() * ctx.big.size);
    const body = (await (await fetch(`${ctx.app.url}/v1/track/${codeOf(ctx.big, i)}`)).json()) as { state: string; release: { version: string } | null };
    states.add(`${body.release?.version} ${body.state}`);
  }
  ctx.checks.push({
    name: "owner reads answer with the vehicle's place in the bench release",
    ok: [...states].every((s) => s.startsWith(`${ctx.version} `) && !/not_eligible|up_to_date/.test(s)),
    detail: [...states].join(", "),
  });
  const run = await pairs({ ...ctx, connections: 50, args: ["track", ctx.big.codePrefix, String(ctx.big.size)] });
  ctx.checks.push(no5xx("owner reads, random codes", run.figures));
  const notFound = run.figures.reduce((n, r) => n + r.status4xx, 0);
  ctx.checks.push({ name: "every random code is a valid owner code", ok: notFound === 0, detail: `${notFound} 4xx` });
  const cpu = median(run.figures.map((r) => r.cpuMsPerRequest));
  const bareCpu = median(run.ceilings.map((r) => r.cpuMsPerRequest));
  return [
    {
      path: `\`GET /v1/track/{code}\`, random codes over ${fmt(ctx.big.size)}, 50 connections`,
      ceiling: `${fmt(run.ceiling)} req/s`,
      figure: `${fmt(run.figure)} req/s, p99 ${fmt(run.p99Ms, 1)} ms`,
      ratio: `${fmt(run.ratio, 3)}×`,
      target: "≥ 0.30×, p99 ≤ 25 ms",
      met: run.ratio >= 0.3 && run.p99Ms <= 25,
    },
    {
      path: "CPU per owner read (server CPU time ÷ requests)",
      ceiling: `${fmt(bareCpu, 3)} ms`,
      figure: `${fmt(cpu, 3)} ms`,
      ratio: `${fmt(cpu / bareCpu, 1)}×`,
      target: "≤ 0.15 ms",
      met: cpu <= 0.15,
    },
  ];
}

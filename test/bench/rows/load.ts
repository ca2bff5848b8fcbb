// Interleaved load runs: bare Hono (the ceiling), then the route under test,
// `rounds` times, each with the CPU time its server spent.
import { cpuMs, type Server } from "../lib/proc";
import { median } from "../lib/stats";
import { type WrkResult, wrk } from "../lib/wrk";

export type Measured = WrkResult & { cpuMsPerRequest: number };

async function measured(server: Server, connections: number, seconds: number, args: string[]): Promise<Measured> {
  const cpu = cpuMs(server.pid);
  const result = await wrk({ url: server.url, connections, seconds, args });
  return { ...result, cpuMsPerRequest: (cpuMs(server.pid) - cpu) / Math.max(1, result.requests) };
}

export const bareArgs = ["get", "/json"];

export async function pairs(options: { bare: Server; app: Server; connections: number; seconds: number; rounds: number; args: string[] }) {
  const ceilings: Measured[] = [];
  const figures: Measured[] = [];
  for (let i = 0; i < options.rounds; i++) {
    ceilings.push(await measured(options.bare, options.connections, options.seconds, bareArgs));
    figures.push(await measured(options.app, options.connections, options.seconds, options.args));
  }
  return {
    ceilings,
    figures,
    ceiling: median(ceilings.map((r) => r.rate)),
    figure: median(figures.map((r) => r.rate)),
    // The median of the pairs' own ratios: each pair saw the same machine.
    ratio: median(figures.map((f, i) => f.rate / ceilings[i]!.rate)),
    p99Ms: median(figures.map((r) => r.p99Us / 1000)),
  };
}

// The refresh storm: everyone refreshing 1,000 hot codes. While it runs, probes
// check what a cache could get wrong: a change reported for a hot vehicle must
// show within 2 s, and an answer must always be that code's own vehicle.
import { apiOf } from "../lib/api";
import { countersExact, no5xx, type Check } from "../lib/checks";
import { codeOf, maskedVinOf, vinOf } from "../lib/fleet";
import { fmt } from "../lib/stats";
import type { Row } from "../lib/table";
import type { BenchContext } from "./context";
import { pairs } from "./load";
import { wrk } from "../lib/wrk";
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "../lib/proc";

const hot = 1000;
const bound = 2000;
const next: Record<string, string | undefined> = { offered: "downloading", downloading: "installing", installing: "installed" };

type Probe = { lags: number[]; wrongVehicle: number; sampled: number; failures: string[] };

async function probeDuring(ctx: BenchContext, until: () => boolean, probe: Probe, pick: () => number) {
  const gateway = apiOf(ctx.app.url, ctx.gatewayToken);
  const owner = (i: number) => fetch(`${ctx.app.url}/v1/track/${codeOf(ctx.big, i)}`).then(async (r) => ({ status: r.status, body: (await r.json()) as { state: string; vehicle: { vin: string } } }));
  while (!until()) {
    // Another vehicle's answer: sample hot codes and compare the masked VIN.
    for (let k = 0; k < 10; k++) {
      const i = Math.floor(Math.random() * hot);
      const { status, body } = await owner(i);
      probe.sampled++;
      if (status !== 200 || body.vehicle.vin !== maskedVinOf(ctx.big, i)) probe.wrongVehicle++;
    }
    // Staleness: move one hot vehicle on a state and time until its owner sees it.
    const i = pick();
    const seen = (await owner(i)).body.state;
    const state = next[seen];
    if (!state) continue;
    const sent = await gateway("POST", "/v1/reports", { eventId: crypto.randomUUID(), vin: vinOf(ctx.big, i), version: ctx.version, state, at: new Date().toISOString() });
    const result = (await sent.json()) as { accepted?: number };
    if (sent.status !== 200 || result.accepted !== 1) {
      probe.failures.push(`report for ${i} answered ${sent.status} ${JSON.stringify(result)}`);
      continue;
    }
    const posted = performance.now();
    for (;;) {
      if ((await owner(i)).body.state === state) break;
      if (performance.now() - posted > bound * 3) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    probe.lags.push(performance.now() - posted);
  }
}

/** How fast node:http alone sends one owner answer's exact bytes, against the bare route (test/bench/same-bytes.ts). */
async function sameBytesNote(ctx: BenchContext) {
  const res = await fetch(`${ctx.app.url}/v1/track/${codeOf(ctx.big, 0)}`);
  // What Node adds itself (and Content-Length, which the server sets from the body).
  const own = new Set(["date", "connection", "keep-alive", "content-length", "transfer-encoding"]);
  const answer = { status: res.status, headers: Object.fromEntries([...res.headers].filter(([name]) => !own.has(name))), body: await res.text() };
  const file = join(tmpdir(), `rollout-bench-answer-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(answer));
  const server = await startServer(fileURLToPath(new URL("../same-bytes.ts", import.meta.url)), { port: Number(new URL(ctx.bare.url).port) + 5, args: (p) => [String(p), file] });
  try {
    const run = await pairs({ ...ctx, app: server, connections: 50, args: ["get", "/"] });
    const bytes = Buffer.byteLength(answer.body) + Object.entries(answer.headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 0);
    ctx.notes.push(
      `Storm, second ceiling: node:http alone, sending one owner answer's exact headers and body (${fmt(bytes)} bytes before Node's own headers) with no framework and no work, served ${fmt(run.figure)} req/s = ${fmt(run.ratio, 3)}× the bare Hono route (median of ${ctx.rounds} interleaved pairs): no server that sends these bytes reaches more than that.`,
    );
  } finally {
    await server.stop();
    rmSync(file, { force: true });
  }
}

export async function stormRow(ctx: BenchContext): Promise<Row> {
  const probe: Probe = { lags: [], wrongVehicle: 0, sampled: 0, failures: [] };
  let vehicle = 0;
  const pick = () => vehicle++ % hot;
  const args = ["track", ctx.big.codePrefix, String(hot)];
  // The figures come from unprobed runs; then one more storm with the probes
  // polling through it, so the probes' own requests never count as load.
  const run = await pairs({ ...ctx, connections: 50, args });
  let stop = false;
  const storm = wrk({ url: ctx.app.url, connections: 50, seconds: Math.max(ctx.seconds, 5), args }).finally(() => (stop = true));
  await new Promise((r) => setTimeout(r, 300));
  await probeDuring(ctx, () => stop, probe, pick);
  const probedRun = await storm;
  const checks: Check[] = [
    no5xx("refresh storm", [...run.figures, probedRun]),
    {
      name: "storm: an answer is never another vehicle's",
      ok: probe.wrongVehicle === 0 && probe.sampled > 0,
      detail: `${probe.wrongVehicle} wrong of ${probe.sampled} sampled`,
    },
    {
      name: "storm: a reported change shows within 2 s",
      ok: probe.lags.length > 0 && probe.failures.length === 0 && Math.max(...probe.lags) <= bound,
      detail: `${probe.lags.length} changes, slowest ${fmt(Math.max(...probe.lags))} ms${probe.failures.length ? `; ${probe.failures.slice(0, 2).join("; ")}` : ""}`,
    },
    await countersExact(ctx.db, ctx.version, "refresh storm"),
  ];
  ctx.checks.push(...checks);
  await sameBytesNote(ctx);
  return {
    path: `the same, refresh storm on ${fmt(hot)} hot codes`,
    ceiling: `${fmt(run.ceiling)} req/s`,
    figure: `${fmt(run.figure)} req/s, p99 ${fmt(run.p99Ms, 1)} ms`,
    ratio: `${fmt(run.ratio, 3)}×`,
    target: "≥ 0.80×, never older than 2 s",
    met: run.ratio >= 0.8 && checks.every((c) => c.ok),
  };
}

// `npm run bench:profile -- <load>`: where the server's CPU goes under one of the
// bench's loads, for the rows a run cannot meet. It uses the database a full run
// left behind with BENCH_KEEP=1 (`<name>_bench`: the fleet, its release offered):
//   BENCH_KEEP=1 DATABASE_URL=postgres://…/rollout npm run bench
//   DATABASE_URL=postgres://…/rollout npm run bench:profile -- owner
// Loads: owner (random codes, 50 connections), storm (1,000 hot codes, 50),
// progress (10), single (single reports, 50), batch (batches of 1,000, 4).
// src/server.ts runs pinned to core 0 under `--cpu-prof`, wrk on core 1, as in the
// bench; after a warm-up it measures the server's and the database backends' CPU per
// request, then prints the profile of that stretch by owner (test/bench/profile-summary.ts).
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectPostgres } from "../../src/db/postgres";
import { adminToken, apiOf, ok } from "./lib/api";
import { codeOf, fleet } from "./lib/fleet";
import { dbSide, dbSideDelta } from "./lib/db-side";
import { cpuMs, pinSelf, startServer } from "./lib/proc";
import { fmt } from "./lib/stats";
import { requireWrk, wrk } from "./lib/wrk";
import { type CpuProfile, summary } from "./profile-summary";

const env = process.env;
const load = process.argv[2] ?? "";
const seconds = Number(env.BENCH_SECONDS ?? 10);
const big = fleet("BN", Number(env.BENCH_VEHICLES ?? 1_000_000));
const version = "2026.50.0";
if (!env.DATABASE_URL) {
  console.error("npm run bench:profile needs DATABASE_URL (the one `BENCH_KEEP=1 npm run bench` ran with).");
  process.exit(2);
}
const benchUrl = new URL(env.DATABASE_URL);
benchUrl.pathname = `/${(benchUrl.pathname.slice(1) || "rollout").replace(/[^a-z0-9_]/gi, "_").toLowerCase()}_bench`;

const loads: Record<string, { connections: number; args: (gateway: string) => string[] }> = {
  owner: { connections: 50, args: () => ["track", big.codePrefix, String(big.size)] },
  storm: { connections: 50, args: () => ["track", big.codePrefix, "1000"] },
  progress: { connections: 10, args: () => ["get", `/v1/releases/${version}/progress`, adminToken] },
  single: { connections: 50, args: (gateway) => ["report", gateway, big.vinPrefix, String(big.size), version] },
  batch: { connections: 4, args: (gateway) => ["batch", gateway, big.vinPrefix, String(big.size), version] },
};
const chosen = loads[load];
if (!chosen) {
  console.error(`usage: npm run bench:profile -- <${Object.keys(loads).join("|")}>`);
  process.exit(2);
}
requireWrk();
pinSelf();

const dir = mkdtempSync(join(tmpdir(), "rollout-profile-"));
const spawned = performance.now();
const app = await startServer("src/server.ts", {
  port: Number(env.BENCH_PORT ?? 55900),
  env: {
    DATABASE_URL: benchUrl.toString(), SEED_DEMO: "0", TICK_SECONDS: "86400", ADMIN_TOKEN: adminToken, TRACK_RATE_LIMIT: "1000000000", PUBLIC_URL: "http://127.0.0.1",
  },
  nodeFlags: ["--cpu-prof", `--cpu-prof-dir=${dir}`],
});
// The bench's own connection, to read what the database's backends did (lib/db-side.ts).
const database = connectPostgres(benchUrl.toString(), { max: 1 });
try {
  const api = apiOf(app.url);
  const probe = await fetch(`${app.url}/v1/track/${codeOf(big, 0)}`);
  if (probe.status !== 200) throw new Error(`no bench fleet at ${benchUrl.pathname}: GET /v1/track answered ${probe.status}; run the bench with BENCH_KEEP=1 first`);
  const gateway = (await (await ok(api("POST", "/v1/keys", { label: "profile gateway", role: "gateway" }), "gateway key")).json()) as { token: string };
  const run = (s: number) => wrk({ url: app.url, connections: chosen.connections, seconds: s, args: chosen.args(gateway.token) });
  await run(3);
  const skipMs = performance.now() - spawned;
  const [server, before] = [cpuMs(app.pid), await dbSide(database.db)];
  const result = await run(seconds);
  const [serverAfter, after] = [cpuMs(app.pid), await dbSide(database.db)];
  const backends = dbSideDelta(before, after).cpuMs;
  console.log(`## ${load}: ${fmt(result.rate)} req/s over ${seconds} s, ${result.status5xx} 5xx, p99 ${fmt(result.p99Us / 1000, 1)} ms`);
  console.log(`Server CPU per request ${fmt((serverAfter - server) / result.requests, 3)} ms; database backends' CPU per request ${backends === null ? "not readable (Postgres on another machine)" : `${fmt(backends / result.requests, 3)} ms`}.\n`);
  await app.stop();
  // The main thread's profile is the largest; tsx's loader thread writes one too.
  const files = readdirSync(dir).map((f) => join(dir, f));
  const main = files.map((f) => ({ f, size: readFileSync(f).length })).sort((a, b) => b.size - a.size)[0];
  if (!main) throw new Error(`no profile written in ${dir}`);
  console.log(summary(JSON.parse(readFileSync(main.f, "utf8")) as CpuProfile, Number(env.PROFILE_TOP ?? 20), skipMs));
  console.log(`\n(profile: ${main.f})`);
} finally {
  await app.stop();
  await database.close();
}

// `npm run bench`: every row of issue #11 with its ceiling in the same run.
//   DATABASE_URL=postgres://… npm run bench
// Settings (environment): BENCH_VEHICLES (1,000,000), BENCH_SECONDS per load run (5),
// BENCH_ROUNDS of interleaved ceiling/figure pairs (3), BENCH_SOAK_SECONDS (60; the
// issue's soak is 180, which does not fit the 10-minute budget with everything else),
// BENCH_PGLITE_VEHICLES (100,000), BENCH_PORT (55800: the server under test from there, bare Hono from +10, PGlite's server from +20, each on the first free port),
// BENCH_KEEP=1 keeps the bench databases afterwards; BENCH_ONLY=owner,storm runs only the
// rows whose step name starts with one of those words (start and advance always run:
// the other rows read the release they make; "pglite" selects the PGlite part).
// The server under test is src/server.ts in a child process pinned to core 0;
// wrk, pgbench and this script run on core 1.
import { sql } from "drizzle-orm";
import { settle } from "./lib/settle";
import { fileURLToPath } from "node:url";
import { adminToken, apiOf, ok } from "./lib/api";
import type { Check } from "./lib/checks";
import { dropDatabase, fleet, freshDatabase, migrated, seedFleet } from "./lib/fleet";
import { preparePgbench } from "./lib/pgbench";
import { machineLoad, pinSelf, startServer } from "./lib/proc";
import { fmt } from "./lib/stats";
import { type Row, renderChecks, renderTable, writeResults } from "./lib/table";
import { requireWrk } from "./lib/wrk";
import type { BenchContext } from "./rows/context";
import { importRow } from "./rows/import";
import { pgliteRows } from "./rows/pglite";
import { progressRow } from "./rows/progress";
import { advanceRow, replanRow, startRow } from "./rows/release";
import { batchRow, singleRow } from "./rows/reports";
import { soakRow } from "./rows/soak";
import { stormRow } from "./rows/storm";
import { trackRows } from "./rows/track";

const env = process.env;
const setting = (name: string, fallback: number) => Number(env[name] ?? fallback);
const vehicles = setting("BENCH_VEHICLES", 1_000_000);
const seconds = setting("BENCH_SECONDS", 5);
const rounds = setting("BENCH_ROUNDS", 3);
const soakSeconds = setting("BENCH_SOAK_SECONDS", 60);
const pgliteVehicles = setting("BENCH_PGLITE_VEHICLES", 100_000);
const port = setting("BENCH_PORT", 55800);
const only = env.BENCH_ONLY?.split(",").map((word) => word.trim()).filter(Boolean);
const wanted = (name: string) => !only || only.some((word) => name.startsWith(word));
const resultsFile = fileURLToPath(new URL("./results.md", import.meta.url));

if (!env.DATABASE_URL) {
  console.error("npm run bench needs DATABASE_URL: a Postgres where it may create <database>_bench and <database>_pgbench.");
  process.exit(2);
}
if (vehicles < 10_000) {
  console.error("BENCH_VEHICLES must be at least 10,000 (the re-plan row compares against a 10k release).");
  process.exit(2);
}
try {
  requireWrk();
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
pinSelf();

const began = performance.now();
const loadBefore = machineLoad();
const log = (message: string) => console.log(`[${((performance.now() - began) / 1000).toFixed(0).padStart(4)} s] ${message}`);
// Scratch database names are plain identifiers: rollout_perf-reports → rollout_perf_reports_bench.
const baseName = (new URL(env.DATABASE_URL).pathname.slice(1) || "rollout").replace(/[^a-z0-9_]/gi, "_").toLowerCase();
const rows: Row[] = [];
const checks: Check[] = [];
const notes: string[] = [];

log(`fresh database ${baseName}_bench, ${fmt(vehicles)} + 10,000 vehicles`);
const benchUrl = await freshDatabase(env.DATABASE_URL, `${baseName}_bench`);
const bench = await migrated(benchUrl);
const big = fleet("BN", vehicles);
const small = fleet("SM", 10_000);
let t = performance.now();
await seedFleet(bench.db, big);
await seedFleet(bench.db, small);
// Plans must see a million rows as a million rows from the first request on.
await bench.db.execute(sql`analyze vehicles`);
// Seeding wrote a million rows and their indexes: without a checkpoint here, the one it
// sets off ran during the start measured next (the same start took 3.7 to 8.9 s), charging
// the seed's writes to the start.
await bench.db.execute(sql`checkpoint`);
log(`seeded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
t = performance.now();
const pgbenchUrl = await preparePgbench(env.DATABASE_URL, `${baseName}_pgbench`);
log(`pgbench scratch database in ${((performance.now() - t) / 1000).toFixed(1)} s`);

const bare = await startServer(fileURLToPath(new URL("./bare-hono.ts", import.meta.url)), { port: port + 10, args: (p) => [String(p)] });
const app = await startServer("src/server.ts", {
  port,
  env: { DATABASE_URL: benchUrl, SEED_DEMO: "0", TICK_SECONDS: "86400", ADMIN_TOKEN: adminToken, TRACK_RATE_LIMIT: "1000000000", PUBLIC_URL: "http://127.0.0.1" },
});
try {
  const api = apiOf(app.url);
  const key = (await (await ok(api("POST", "/v1/keys", { label: "bench gateway", role: "gateway" }), "gateway key")).json()) as { token: string };
  const version = "2026.50.0";
  // Older than the big one: an owner sees the newest release of their channel, so
  // the big fleet's owners must see theirs (not the small one's "not eligible").
  const smallVersion = "2026.49.0";
  const ctx: BenchContext & { pgbenchUrl: string } = {
    app, bare, db: bench.db, api, big, version, small, smallVersion, gatewayToken: key.token, seconds, rounds, checks, notes, pgbenchUrl,
  };
  // A step that breaks is written down as a failed check and the others still run:
  // half a table is worth more than none after several minutes of load.
  const step = async (name: string, work: () => Promise<Row | Row[]>) => {
    if (!wanted(name) && name !== "start" && name !== "advance") return;
    log(name);
    try {
      const got = await work();
      rows.push(...(Array.isArray(got) ? got : [got]));
      console.log(renderTable(Array.isArray(got) ? got : [got]).split("\n").slice(2).join("\n"));
    } catch (error) {
      console.error(error);
      checks.push({ name: `${name} ran`, ok: false, detail: error instanceof Error ? error.message.slice(0, 300) : String(error) });
    }
  };
  let bigEtag = "";
  await step("start", async () => {
    const started = await startRow(api, version, big);
    bigEtag = started.etag;
    return started.row;
  });
  const smallStart = await startRow(api, smallVersion, small);
  await step("re-plans", () => replanRow(api, { version, etag: bigEtag, size: big.size }, { version: smallVersion, etag: smallStart.etag, size: small.size }, rounds));
  await step("advance", () => advanceRow(api, bench.db, version, checks));
  if (wanted("owner") || wanted("refresh") || wanted("progress")) notes.push(`Settled before owner reads (vacuum, analyze, checkpoint after the advance's rewrite): ${fmt((await settle(bench.db)) / 1000, 1)} s.`);
  await step("owner reads", () => trackRows(ctx));
  await step("refresh storm", () => stormRow(ctx));
  await step("progress", () => progressRow(ctx));
  await step("report batches", () => batchRow(ctx));
  await step("single reports", () => singleRow(ctx));
  await step("import", () => importRow(ctx));
  if (wanted("soak")) notes.push(`Settled before the soak (after the import): ${fmt((await settle(bench.db)) / 1000, 1)} s.`);
  await step(`soak ${soakSeconds} s`, () => soakRow(ctx, soakSeconds));
} finally {
  await app.stop();
}
try {
  if (wanted("pglite")) {
    log(`PGlite, ${fmt(pgliteVehicles)} vehicles`);
    rows.push(...(await pgliteRows({ port: port + 20, size: pgliteVehicles, bare, seconds, rounds, checks })));
  }
} catch (error) {
  // The Postgres rows above stay worth writing down.
  checks.push({ name: "PGlite part ran", ok: false, detail: error instanceof Error ? error.message.slice(0, 300) : String(error) });
} finally {
  await bare.stop();
  await bench.close();
  // A million-vehicle database is a gigabyte of someone's disk: kept only on request.
  if (env.BENCH_KEEP !== "1") for (const name of [`${baseName}_bench`, `${baseName}_pgbench`]) await dropDatabase(env.DATABASE_URL, name);
}

const total = (performance.now() - began) / 1000;
const header = [
  "# `npm run bench` results",
  "",
  `Run ${new Date().toISOString()}: ${fmt(vehicles)} vehicles on Postgres (plus 10,000 for the re-plan ratio), ${fmt(pgliteVehicles)} on PGlite; ` +
    `${rounds} interleaved ceiling/figure pairs of ${seconds} s per load row (medians), soak ${soakSeconds} s; took ${fmt(total)} s.`,
  `Machine load (1/5/15-min averages) before ${loadBefore}, after ${machineLoad()}; server on core 0, wrk and pgbench on core 1 (taskset).`,
  "Ceilings: bare Hono JSON route on @hono/node-server (same node + tsx, same core) for request rows; `pgbench -S -M prepared` on the same Postgres for report batches.",
  "",
  `Command: \`DATABASE_URL=postgres://… BENCH_VEHICLES=${vehicles} BENCH_SECONDS=${seconds} BENCH_ROUNDS=${rounds} BENCH_SOAK_SECONDS=${soakSeconds} npm run bench\``,
].join("\n");
// A partial run (BENCH_ONLY) is for working on one row: it never replaces the full table.
if (!only) writeResults(resultsFile, header, rows, checks, notes);
console.log(`\n${renderTable(rows)}\n\n${renderChecks(checks)}\n\n${notes.map((n) => `- ${n}`).join("\n")}\n\n${only ? "partial run, results.md left as it was" : `written to ${resultsFile}`} (${fmt(total)} s)`);
process.exit(checks.every((c) => c.ok) ? 0 : 1);

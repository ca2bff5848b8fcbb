// PGlite, the embedded default: a 100k fleet imported and started, owner reads
// against bare Hono, and the server's memory idle and loaded.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { adminToken, apiOf, ok, timed } from "../lib/api";
import { no5xx, type Check } from "../lib/checks";
import { fleet } from "../lib/fleet";
import { importFleet } from "../lib/import";
import { peakRssDuring, rssMb, type Server, startServer } from "../lib/proc";
import { fmt } from "../lib/stats";
import type { Row } from "../lib/table";
import { pairs } from "./load";
import { startRow } from "./release";

export async function pgliteRows(options: { port: number; size: number; bare: Server; seconds: number; rounds: number; checks: Check[] }): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), "rollout-bench-pglite-"));
  const server = await startServer("src/server.ts", {
    port: options.port,
    // An empty DATABASE_URL means PGlite in DATA_DIR, as for anyone who runs `npm start`.
    env: { DATABASE_URL: "", DATA_DIR: join(dir, "data"), SEED_DEMO: "0", TICK_SECONDS: "86400", ADMIN_TOKEN: adminToken, TRACK_RATE_LIMIT: "1000000000" },
  });
  try {
    await new Promise((r) => setTimeout(r, 2000));
    const idle = rssMb(server.pid);
    const api = apiOf(server.url);
    const f = fleet("PG", options.size);
    const version = "2026.60.0";
    const { result, ms } = await timed(async () => {
      const imported = await importFleet(server.url, f, true);
      const started = await startRow(api, version, f);
      return { imported, started };
    });
    const codesFile = join(dir, "codes.txt");
    writeFileSync(codesFile, result.imported.codes.join("\n"));
    const afterImport = rssMb(server.pid);
    const { result: run, peakMb } = await peakRssDuring(server.pid, () =>
      pairs({ bare: options.bare, app: server, connections: 50, seconds: options.seconds, rounds: options.rounds, args: ["track-file", codesFile] }),
    );
    options.checks.push(no5xx("PGlite owner reads", run.figures));
    const notFound = run.figures.reduce((n, r) => n + r.status4xx, 0);
    options.checks.push({ name: "PGlite: every imported code reads", ok: notFound === 0 && result.imported.imported === f.size, detail: `${fmt(result.imported.imported)} imported, ${notFound} 4xx` });
    await ok(api("GET", `/v1/releases/${version}/progress`), "PGlite progress");
    // RSS can fall after start-up (the migrations' garbage is collected under the import), so growth may be
    // nothing; the database's own size on disk per 100k vehicles is stated beside it.
    const growthPer100k = ((Math.max(afterImport, peakMb) - idle) * 100_000) / f.size;
    const diskMb = Number(execFileSync("du", ["-sk", join(dir, "data")]).toString().split("\t")[0]) / 1024;
    return [
      { path: `PGlite: import + start of ${fmt(f.size)} vehicles`, ceiling: "—", figure: `${fmt(ms / 1000, 1)} s`, ratio: "—", target: "≤ 10 s", met: ms <= 10_000 },
      {
        path: "PGlite: `GET /v1/track/{code}`, random codes, 50 connections",
        ceiling: `${fmt(run.ceiling)} req/s`,
        figure: `${fmt(run.figure)} req/s, p99 ${fmt(run.p99Ms, 1)} ms`,
        ratio: `${fmt(run.ratio, 3)}×`,
        target: "≥ 0.08×",
        met: run.ratio >= 0.08,
      },
      {
        path: "PGlite: server RSS idle / after import / peak under reads",
        ceiling: "—",
        figure: `${fmt(idle)} / ${fmt(afterImport)} / ${fmt(peakMb)} MB; per 100k vehicles: RSS ${growthPer100k > 0 ? `+${fmt(growthPer100k)}` : "no growth"} MB; data dir ${fmt(diskMb)} MB for ${fmt(f.size)}`,
        ratio: "—",
        target: "measured (was ~900 MB idle)",
        met: null,
      },
    ];
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

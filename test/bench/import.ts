// Measures POST /v1/vehicles/import end to end (NDJSON in, NDJSON out) on
// PGlite and, when DATABASE_URL is set, on Postgres.
//   npm run bench:import -- 1000000
import { parseConfig } from "../../src/config";
import { sql } from "drizzle-orm";
import { createApp } from "../../src/app";
import type { Db } from "../../src/db/client";
import { rowsOf } from "../../src/db/rows";
import { systemClock } from "../../src/lib/clock";
import { onEachBackend } from "./backends";

const count = Number(process.argv[2] ?? 1_000_000);
const adminToken = "bench-admin-token-0123456789";
const models = ["model3", "modelY", "modelS"];
const regions = ["NL", "DE", "FR", "US", "NO"];

function vinFor(i: number, run: string) {
  return `${run}${i.toString().padStart(12, "0")}`;
}

function ndjsonBody(run: string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i >= count) return controller.close();
      let chunk = "";
      for (const end = Math.min(count, i + 2000); i < end; i++) {
        chunk += `${JSON.stringify({
          vin: vinFor(i, run),
          model: models[i % 3],
          hardware: i % 4 === 0 ? "HW3" : "HW4",
          region: regions[i % 5],
          channel: i % 20 === 0 ? "beta" : "stable",
          cohort: i % 100 === 0 ? "employee" : i % 10 === 0 ? "early_access" : "standard",
          firmware: `2026.${30 + (i % 10)}.${i % 3}`,
        })}\n`;
      }
      controller.enqueue(encoder.encode(chunk));
    },
  });
}

async function measure(name: string, db: Db) {
  const app = createApp({ db, clock: systemClock, config: { ...parseConfig({}), adminToken, maxBodyBytes: 1 << 20 } });
  const run = String(Math.floor(Math.random() * 90_000) + 10_000); // 5 chars + 12 digits = 17
  const started = performance.now();
  const res = await app.request("/v1/vehicles/import", {
    method: "POST",
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/x-ndjson" },
    body: ndjsonBody(run),
    // @ts-expect-error Node's fetch needs this for a streamed request body
    duplex: "half",
  });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let tail = "";
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.length;
    tail = (tail + value).slice(-400);
  }
  const seconds = (performance.now() - started) / 1000;
  const summary = tail.trim().split("\n").at(-1);
  const [row] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from vehicles where vin like ${`${run}%`}`));
  console.log(
    `${name}: ${count.toLocaleString("en")} vehicles in ${seconds.toFixed(1)} s ` +
      `(${Math.round(count / seconds).toLocaleString("en")}/s), response ${(bytes / 1e6).toFixed(0)} MB, ` +
      `rows stored ${row!.n.toLocaleString("en")}, rss ${(process.memoryUsage().rss / 1e9).toFixed(1)} GB\n  ${summary}`,
  );
}

await onEachBackend(measure);

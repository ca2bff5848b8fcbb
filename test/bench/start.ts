// Measures POST /v1/releases/{version}/start (the set-based queue build) and a
// progress read on a fleet of N vehicles, on PGlite and (with DATABASE_URL) Postgres.
//   npm run bench:start -- 1000000
import { parseConfig } from "../../src/config";
import { sql } from "drizzle-orm";
import { createApp } from "../../src/app";
import type { Db } from "../../src/db/client";
import { manualClock } from "../../src/lib/clock";
import { onEachBackend } from "./backends";
import { tickAll } from "../../src/services/clock-tick";

const count = Number(process.argv[2] ?? 1_000_000);
const adminToken = "bench-admin-token-0123456789";

async function measure(name: string, db: Db) {
  const clock = manualClock(new Date());
  const app = createApp({ db, clock, config: { ...parseConfig({}), adminToken, maxBodyBytes: 1 << 20 } });
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.request(path, { method, headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json", ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const region = `B${Math.floor(Math.random() * 1e6)}`;
  let t = performance.now();
  // The fleet is made in SQL: this measures the start, not the import.
  await db.execute(sql`
    insert into vehicles (vin, model, hardware, region, channel, cohort, firmware, owner_code_hash, device_token_hash)
    select 'S' || lpad(i::text, 10, '0') || ${region.padEnd(6, "0").slice(0, 6)}, 'model3', 'HW4', ${region}, 'stable',
           (case when i % 100 = 0 then 'employee' when i % 10 = 0 then 'early_access' else 'standard' end)::cohort,
           '2026.38.2', md5(i::text || ${region}), md5('d' || i::text || ${region})
    from generate_series(1, ${count}) i`);
  const fleetSeconds = (performance.now() - t) / 1000;
  const version = `${3000 + Math.floor(Math.random() * 5000)}.1.0`;
  const created = await call("POST", "/v1/releases", { version, channel: "stable", eligibility: { regions: [region] } });
  await call("PUT", `/v1/releases/${version}/waves`, { waves: [{ name: "canary", share: 1 }, { name: "early", share: 5, ratePerHour: 50_000 }, { name: "all", share: 100, ratePerHour: 200_000 }] }, { "if-match": created.headers.get("etag")! });
  t = performance.now();
  const started = await call("POST", `/v1/releases/${version}/start`);
  const startSeconds = (performance.now() - t) / 1000;
  const release = (await started.json()) as { total: number; offeredThrough: number };
  t = performance.now();
  const rounds = 20;
  for (let i = 0; i < rounds; i++) await (await call("GET", `/v1/releases/${version}/progress`)).json();
  const progressMs = (performance.now() - t) / rounds;
  await call("POST", `/v1/releases/${version}/advance`);
  clock.advance(30 * 60_000);
  t = performance.now();
  await tickAll({ db, now: clock.now() });
  const tickSeconds = (performance.now() - t) / 1000;
  const after = (await (await call("GET", `/v1/releases/${version}`)).json()) as { offeredThrough: number };
  console.log(
    `${name}: fleet of ${count.toLocaleString("en")} made in ${fleetSeconds.toFixed(1)} s; ` +
      `start (queue of ${release.total.toLocaleString("en")}) ${startSeconds.toFixed(1)} s; ` +
      `progress ${progressMs.toFixed(1)} ms per read; a tick offering ${(after.offeredThrough - release.offeredThrough).toLocaleString("en")} more ${tickSeconds.toFixed(2)} s`,
  );
}

await onEachBackend(measure);

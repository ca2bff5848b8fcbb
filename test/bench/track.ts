// Owner status reads per second (GET /v1/track/{code}) through the whole app,
// against a bare Hono JSON route, with 16 requests in flight, on PGlite and
// (with DATABASE_URL) Postgres. The rate limit is lifted for the measurement.
//   npm run bench:track -- 10
import { Hono } from "hono";
import { createApp } from "../../src/app";
import { parseConfig } from "../../src/config";
import type { Db } from "../../src/db/client";
import { manualClock } from "../../src/lib/clock";
import { onEachBackend } from "./backends";

const seconds = Number(process.argv[2] ?? 10);
const adminToken = "bench-admin-token-0123456789";
const inFlight = 16;

async function rate(fetcher: (i: number) => Response | Promise<Response>) {
  let done = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: inFlight }, async (_, worker) => {
      while (performance.now() < until) {
        const res = await fetcher(done + worker);
        if (res.status !== 200) throw new Error(`status ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
        done++;
      }
    }),
  );
  return done / seconds;
}

async function measure(name: string, db: Db) {
  const app = createApp({ db, clock: manualClock(new Date()), config: { ...parseConfig({}), adminToken, trackRateLimit: 1e9 } });
  const call = (method: string, path: string, body?: string, type = "application/json") =>
    app.request(path, { method, headers: { authorization: `Bearer ${adminToken}`, "content-type": type }, body });
  const region = `R${Math.floor(Math.random() * 1e6)}`;
  const lines = Array.from({ length: 2000 }, (_, i) =>
    JSON.stringify({ vin: `TRK${region.slice(1).padStart(6, "0")}${String(i).padStart(8, "0")}`, model: "model3", hardware: "HW4", region, channel: "stable", cohort: "standard", firmware: "2026.38.2" }),
  );
  const out = await (await call("POST", "/v1/vehicles/import", lines.join("\n"), "application/x-ndjson")).text();
  const codes = out.trim().split("\n").flatMap((l) => (JSON.parse(l) as { ownerCode?: string }).ownerCode ?? []);
  const version = `${3000 + Math.floor(Math.random() * 5000)}.1.0`;
  const created = await call("POST", "/v1/releases", JSON.stringify({ version, channel: "stable", eligibility: { regions: [region] } }));
  await app.request(`/v1/releases/${version}/waves`, {
    method: "PUT",
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json", "if-match": created.headers.get("etag")! },
    body: JSON.stringify({ waves: [{ name: "all", share: 100, ratePerHour: 100 }] }),
  });
  await call("POST", `/v1/releases/${version}/start`);

  const bare = new Hono().get("/json", (c) => c.json({ ok: true }));
  const bareRate = await rate(() => bare.request("/json"));
  const trackRate = await rate((i) => app.request(`/v1/track/${codes[i % codes.length]}`));
  console.log(`${name}: GET /v1/track ${Math.round(trackRate).toLocaleString("en")}/s; bare Hono JSON ${Math.round(bareRate).toLocaleString("en")}/s (${(trackRate / bareRate).toFixed(3)}×)`);
}

await onEachBackend(measure);

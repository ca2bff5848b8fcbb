import { sql } from "drizzle-orm";
import { parseConfig } from "../../src/config";
import { createApp } from "../../src/app";
import { connectPostgres } from "../../src/db/postgres";
import { manualClock } from "../../src/lib/clock";
import { adminToken } from "./app";
import { randomVersion, randomVin, vehicleBody } from "./fleet";

// Concurrency needs real connections, which a rolled-back test transaction cannot
// give: these tests run on a pool of their own against DATABASE_URL, in a region
// and release of their own, and remove what they made afterwards.

/** `cars` vehicles in a fresh region, a release of them started with one wave, and a gateway key; `done` removes them. */
export async function startedOnPostgres(url: string, { cars, connections = 8, label }: { cars: number; connections?: number; label: string }) {
  const { db, close } = connectPostgres(url, { max: connections });
  const clock = manualClock();
  const app = createApp({ db, clock, config: { ...parseConfig({}), adminToken, maxBodyBytes: 1 << 22 } });
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}, token = adminToken) =>
    app.request(path, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const region = `P${Math.random().toString(36).slice(2, 9).toUpperCase()}`;
  const version = randomVersion();
  const done = async () => {
    await db.execute(sql`delete from update_events where release_id in (select id from releases where version = ${version})`);
    await db.execute(sql`delete from queue_entries where release_id in (select id from releases where version = ${version})`);
    await db.execute(sql`delete from releases where version = ${version}`);
    await db.execute(sql`delete from vehicles where region = ${region}`);
    await close();
  };
  try {
    const vins = Array.from({ length: cars }, () => randomVin());
    const lines = vins.map((vin) => JSON.stringify({ vin, ...vehicleBody({ region }) })).join("\n");
    await (await app.request("/v1/vehicles/import", { method: "POST", headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/x-ndjson" }, body: lines })).text();
    const created = await call("POST", "/v1/releases", { version, channel: "stable", eligibility: { regions: [region] } });
    await call("PUT", `/v1/releases/${version}/waves`, { waves: [{ name: "all", share: 100 }] }, { "if-match": created.headers.get("etag")! });
    const started = await call("POST", `/v1/releases/${version}/start`);
    if (started.status !== 200) throw new Error(`starting ${version}: ${started.status} ${await started.text()}`);
    const gateway = ((await (await call("POST", "/v1/keys", { label, role: "gateway" })).json()) as { token: string }).token;
    return { db, clock, app, call, region, version, vins, gateway, done };
  } catch (error) {
    await done();
    throw error;
  }
}

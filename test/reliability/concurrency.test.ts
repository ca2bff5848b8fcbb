import { sql } from "drizzle-orm";
import { afterAll, describe, expect, test } from "vitest";
import { parseConfig } from "../../src/config";
import { createApp } from "../../src/app";
import type { Db } from "../../src/db/client";
import { connectPostgres } from "../../src/db/postgres";
import { manualClock } from "../../src/lib/clock";
import { adminToken } from "../helpers/app";
import { randomVersion, randomVin, vehicleBody } from "../helpers/fleet";
import { openMigratedPglite } from "../helpers/pglite";

// Concurrent requests through the real app, each on its own connection and
// transaction (not the rolled-back test transaction of withApp, which would
// serialize them): on Postgres with a real pool, and on PGlite.
const opened: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(opened.splice(0).map((close) => close()));
});
const once = (open: () => Promise<{ db: Db; close: () => Promise<void> }>) => {
  let db: Promise<Db> | undefined;
  return () => (db ??= open().then(({ db, close }) => (opened.push(close), db)));
};
const backends = [
  {
    name: "pglite",
    db: once(openMigratedPglite),
  },
  ...(process.env.DATABASE_URL ? [{ name: "postgres", db: once(async () => connectPostgres(process.env.DATABASE_URL!, { max: 8 })) }] : []),
];

async function draftRelease(db: Db) {
  const app = createApp({ db, clock: manualClock("2026-11-01T08:00:00Z"), config: { ...parseConfig({}), adminToken, maxBodyBytes: 1 << 20 } });
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.request(path, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const region = `R${Math.random().toString(36).slice(2, 9).toUpperCase()}`;
  const vins = Array.from({ length: 20 }, () => randomVin());
  const imported = await app.request("/v1/vehicles/import", {
    method: "POST",
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/x-ndjson" },
    body: vins.map((vin) => JSON.stringify({ vin, ...vehicleBody({ region }) })).join("\n"),
  });
  await imported.text();
  const version = randomVersion();
  const created = await call("POST", "/v1/releases", { version, channel: "stable", eligibility: { regions: [region] } });
  expect(created.status).toBe(201);
  // Other tests share the Postgres database: leave no started release behind.
  const remove = async () => {
    await db.execute(sql`delete from releases where version = ${version}`);
    await db.execute(sql`delete from vehicles where region = ${region}`);
  };
  return { app, call, vins, version, etag: created.headers.get("etag")!, remove };
}

describe.each(backends)("concurrent requests ($name)", (backend) => {
  test("20 simultaneous re-plans on one ETag: exactly one wins and its plan is stored", async () => {
    const db = await backend.db();
    const { call, version, etag, remove } = await draftRelease(db);
    try {
      const plans = Array.from({ length: 20 }, (_, i) => ({ waves: [{ name: `first-${i}`, share: 10 + i }, { name: "rest", share: 100 }] }));
      const answers = await Promise.all(plans.map((plan) => call("PUT", `/v1/releases/${version}/waves`, plan, { "if-match": etag })));
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s !== 200).every((s) => s === 412)).toBe(true);
      const winner = plans[statuses.indexOf(200)]!;
      const stored = (await (await call("GET", `/v1/releases/${version}`)).json()) as { waves: { name: string }[] };
      expect(stored.waves.map((w) => w.name)).toEqual(winner.waves.map((w) => w.name));
    } finally {
      await remove();
    }
  });

  test("the same report sent concurrently counts once", async () => {
    const db = await backend.db();
    const { call, vins, version, etag, remove } = await draftRelease(db);
    try {
      expect((await call("PUT", `/v1/releases/${version}/waves`, { waves: [{ name: "all", share: 100 }] }, { "if-match": etag })).status).toBe(200);
      expect((await call("POST", `/v1/releases/${version}/start`)).status).toBe(200);
      const gateway = ((await (await call("POST", "/v1/keys", { role: "gateway", label: "concurrency" })).json()) as { token: string }).token;
      const installed = { eventId: crypto.randomUUID(), vin: vins[0], version, state: "installed", at: "2026-11-01T08:05:00.000Z" };
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => call("POST", "/v1/reports", { reports: [installed] }, { authorization: `Bearer ${gateway}` })),
      );
      const results = (await Promise.all(answers.map((a) => a.json()))) as { accepted: number; duplicates: number }[];
      expect(answers.map((a) => a.status).every((s) => s === 200)).toBe(true);
      expect(results.reduce((n, r) => n + r.accepted, 0)).toBe(1);
      expect(results.reduce((n, r) => n + r.duplicates, 0)).toBe(19);
      const release = (await (await call("GET", `/v1/releases/${version}`)).json()) as { counts: Record<string, number> };
      expect(release.counts).toMatchObject({ installed: 1, offered: 19 });
    } finally {
      await remove();
    }
  });
});

describe.runIf(process.env.DATABASE_URL)("a saturated pool (postgres)", () => {
  test("a request that gets no connection in time is a prompt 503, not a hang", async () => {
    const { db, close } = connectPostgres(process.env.DATABASE_URL!, { max: 1, acquireTimeoutMs: 300 });
    const app = createApp({ db, clock: manualClock(), config: { ...parseConfig({}), adminToken, maxBodyBytes: 1 << 20 } });
    try {
        // drizzle queries are lazy: then() sends it, holding the only connection.
        const busy = db.execute(sql`select pg_sleep(1.5)`).then(() => undefined);
        const started = performance.now();
        const res = await app.request("/healthz");
        expect(res.status).toBe(503);
        expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
        expect(performance.now() - started).toBeLessThan(1000);
        await busy;
        expect((await app.request("/healthz")).status).toBe(200);
    } finally {
      await close();
    }
  });
});

import postgres from "postgres";
import { afterAll, describe, expect, test } from "vitest";
import { randomVersion, randomVin, vehicleBody } from "../helpers/fleet";
import { canRunPostgres, startServer, throwawayPostgres } from "./throwaway-postgres";

// Postgres dies under a report load (pg_ctl stop -m immediate) and comes back.
// The server must live through it, answer 503 + Retry-After within seconds
// while the database is away, recover without a restart, and have stored every
// report it acknowledged. Ports from this suite's range (25400-25449).
const adminToken = "db-faults-admin-token-0123456789";
const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Outcome = { eventId: string; status: number; ms: number; accepted: boolean; problem?: { type?: string }; retryAfter: string | null };

describe.runIf(process.env.DATABASE_URL && canRunPostgres)("the database stops under load and returns (postgres)", () => {
  test("503 within seconds while it is away, recovery without a restart, every acknowledged report stored", async () => {
    const cluster = throwawayPostgres(25411);
    cleanups.push(cluster.destroy);
    const server = await startServer({ DATABASE_URL: cluster.url, SEED_DEMO: "0", ADMIN_TOKEN: adminToken, TICK_SECONDS: "60" }, 25412);
    cleanups.push(() => server.stop());
    const call = (path: string, init: { method?: string; token?: string; body?: string; headers?: Record<string, string> } = {}) =>
      fetch(`${server.base}${path}`, {
        method: init.method ?? "GET",
        headers: { authorization: `Bearer ${init.token ?? adminToken}`, "content-type": "application/json", ...init.headers },
        body: init.body,
      });

    // A gateway key, a fleet of 50 and a started release that offers them all.
    const gateway = ((await (await call("/v1/keys", { method: "POST", body: JSON.stringify({ role: "gateway", label: "faults" }) })).json()) as { token: string }).token;
    const region = `F${Math.random().toString(36).slice(2, 9).toUpperCase()}`;
    const vins = Array.from({ length: 50 }, () => randomVin());
    const ndjson = vins.map((vin) => JSON.stringify({ vin, ...vehicleBody({ region }) })).join("\n");
    await (await call("/v1/vehicles/import", { method: "POST", body: ndjson, headers: { "content-type": "application/x-ndjson" } })).text();
    const version = randomVersion();
    const created = await call("/v1/releases", { method: "POST", body: JSON.stringify({ version, channel: "stable", eligibility: { regions: [region] } }) });
    const plan = JSON.stringify({ waves: [{ name: "all", share: 100 }] });
    expect((await call(`/v1/releases/${version}/waves`, { method: "PUT", body: plan, headers: { "if-match": created.headers.get("etag")! } })).status).toBe(200);
    expect((await call(`/v1/releases/${version}/start`, { method: "POST" })).status).toBe(200);

    const outcomes: Outcome[] = [];
    let sending = true;
    const report = async () => {
      const eventId = crypto.randomUUID();
      const vin = vins[Math.floor(Math.random() * vins.length)]!;
      const body = JSON.stringify({ reports: [{ eventId, vin, version, state: "downloading", at: new Date().toISOString() }] });
      const started = performance.now();
      try {
        const res = await call("/v1/reports", { method: "POST", token: gateway, body });
        const json = (await res.json()) as { accepted?: number; type?: string };
        outcomes.push({ eventId, status: res.status, ms: performance.now() - started, accepted: json.accepted === 1, problem: json, retryAfter: res.headers.get("retry-after") });
      } catch (error) {
        outcomes.push({ eventId, status: 0, ms: performance.now() - started, accepted: false, problem: { type: String(error) }, retryAfter: null });
      }
    };
    // Ten gateways, each sending one report after another.
    const load = Array.from({ length: 10 }, async () => {
      while (sending) await report();
    });
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

    await sleep(1500);
    const beforeCrash = outcomes.length;
    cluster.crash();
    await sleep(4000);
    const whileDown = outcomes.slice(beforeCrash);
    expect(server.alive(), server.output().slice(-1500)).toBe(true);
    const health = await call("/healthz");
    expect(health.status).toBe(503);

    cluster.start();
    const restarted = outcomes.length;
    // Recovers by itself: reports are accepted again within a few seconds.
    for (let waited = 0; waited < 10_000 && !outcomes.slice(restarted).some((o) => o.status === 200); waited += 250) await sleep(250);
    await sleep(1000);
    sending = false;
    await Promise.all(load);
    expect(server.alive()).toBe(true);

    const statuses = new Set(outcomes.map((o) => o.status));
    expect([...statuses].filter((s) => s !== 200 && s !== 503), server.output().slice(-2000)).toEqual([]);
    expect(whileDown.some((o) => o.status === 503)).toBe(true);
    for (const o of outcomes.filter((o) => o.status === 503)) {
      expect(o.problem?.type).toBe("/problems/unavailable");
      expect(o.retryAfter).toMatch(/^\d+$/);
    }
    // Bounded: no answer, 503 or not, took more than a few seconds.
    expect(Math.max(...outcomes.map((o) => o.ms))).toBeLessThan(5000);
    expect(outcomes.slice(restarted).some((o) => o.status === 200)).toBe(true);
    expect((await call("/healthz")).status).toBe(200);

    // Every report acknowledged as accepted is stored.
    const acknowledged = outcomes.filter((o) => o.status === 200 && o.accepted).map((o) => o.eventId);
    expect(acknowledged.length).toBeGreaterThan(0);
    const sql = postgres(cluster.url, { max: 1, onnotice: () => {} });
    try {
      const [row] = await sql<{ stored: number }[]>`select count(*)::int as stored from update_events where event_id = any(${acknowledged})`;
      expect(row!.stored).toBe(acknowledged.length);
    } finally {
      await sql.end();
    }
  }, 60_000);
});

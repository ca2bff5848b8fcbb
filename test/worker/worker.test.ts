import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { randomVersion, randomVin, vehicleBody } from "../helpers/fleet";
import { createWorkerDatabase } from "./worker-database";
import { type WranglerDev, startWranglerDev } from "./wrangler-dev";

// The Worker (src/worker.ts) in workerd through `wrangler dev`, its Hyperdrive
// binding pointed at a real Postgres: what `wrangler deploy` ships, minus the edge.

const databaseUrl = process.env.DATABASE_URL;
const adminToken = "worker-test-admin-token-0123456789";

type Json = Record<string, unknown>;

describe.runIf(databaseUrl)("the Worker in workerd, on Postgres through Hyperdrive", () => {
  let database: Awaited<ReturnType<typeof createWorkerDatabase>>;
  let worker: WranglerDev;

  beforeAll(async () => {
    // `npm test` builds dist/web first (pretest); wrangler refuses a missing assets folder.
    if (!existsSync("dist/web")) throw new Error("dist/web is missing: run `npm run build:web` first");
    database = await createWorkerDatabase(databaseUrl!);
    worker = await startWranglerDev({ hyperdriveUrl: database.hyperdriveUrl, vars: { ADMIN_TOKEN: adminToken } });
  }, 90_000);

  afterAll(async () => {
    await worker?.stop();
    await database?.drop();
  });

  const call = async (method: string, path: string, init: { json?: unknown; token?: string | null; headers?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    const token = init.token === undefined ? adminToken : init.token;
    if (token) headers.authorization = `Bearer ${token}`;
    if (init.json !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(`${worker.base}${path}`, { method, headers, body: init.json === undefined ? undefined : JSON.stringify(init.json) });
    const text = await res.text();
    const body = (res.headers.get("content-type") ?? "").includes("json") && text ? (JSON.parse(text) as Json) : {};
    return { status: res.status, headers: res.headers, text, body };
  };

  test("health reaches Postgres through the Hyperdrive binding", async () => {
    const health = await call("GET", "/healthz", { token: null });
    expect(health.status, health.text).toBe(200);
    expect(health.body).toEqual({ status: "ok", database: "ok" });
  });

  test("API paths run the Worker, docs load their assets from the static assets", async () => {
    const openapi = await call("GET", "/openapi.json", { token: null });
    expect(openapi.body.openapi).toBe("3.1.0");
    const docs = await call("GET", "/docs", { token: null });
    expect(docs.text).toContain("/assets/swagger-ui-dist/swagger-ui-bundle.js");
    const css = await fetch(`${worker.base}/assets/swagger-ui-dist/swagger-ui.css`);
    expect(css.headers.get("content-type")).toMatch(/^text\/css/);
    // An unknown API path is the API's own 404, never the owner page.
    const unknown = await call("GET", "/v1/no-such-thing");
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toBe("application/problem+json");
  });

  test("public rollout answers are cached at the edge per language, for their max-age", async () => {
    const first = await call("GET", "/v1/public/releases?lang=nl", { token: null });
    expect(first.status, first.text).toBe(200);
    expect(first.headers.get("cache-control")).toBe("public, max-age=30");
    expect(first.headers.get("x-edge-cache")).toBe("MISS");
    // The cache write runs after the answer (waitUntil): give it a moment.
    let again = first;
    for (let i = 0; i < 20 && again.headers.get("x-edge-cache") !== "HIT"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      again = await call("GET", "/v1/public/releases?lang=nl", { token: null });
    }
    expect(again.headers.get("x-edge-cache")).toBe("HIT");
    expect(again.text).toBe(first.text);
    // Another language is another answer: Accept-Language de is keyed apart from ?lang=nl.
    const german = await call("GET", "/v1/public/releases", { token: null, headers: { "accept-language": "de" } });
    expect(german.headers.get("x-edge-cache")).toBe("MISS");
    // Nothing private is ever kept: the owner's read is not cached at the edge.
    const owner = await call("GET", "/v1/track/not-a-real-code-000000000000", { token: null });
    expect(owner.headers.get("x-edge-cache")).toBeNull();
  });

  test("static assets: hashed files kept a year, pages, swagger and the service worker revalidated (web/_headers)", async () => {
    const home = await fetch(`${worker.base}/`);
    expect(home.headers.get("cache-control")).toBe("no-cache");
    const bundle = /src="(\/assets\/owner-[A-Z0-9]{8}\.js)"/.exec(await home.text())?.[1];
    expect(bundle).toBeDefined();
    const script = await fetch(`${worker.base}${bundle}`);
    expect(script.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const swagger = await fetch(`${worker.base}/assets/swagger-ui-dist/swagger-ui.css`);
    expect(swagger.headers.get("cache-control")).toBe("no-cache");
    const serviceWorker = await fetch(`${worker.base}/service-worker.js`);
    expect(serviceWorker.headers.get("content-type")).toMatch(/javascript/);
    expect(serviceWorker.headers.get("cache-control")).toBe("no-cache");
    const offline = await fetch(`${worker.base}/offline`);
    expect(offline.status).toBe(200);
    expect(await offline.text()).toContain('id="offline-heading"');
    // The .br/.gz siblings are the Node server's; Workers compress on their own (.assetsignore).
    const sibling = await fetch(`${worker.base}${bundle}.br`);
    expect(sibling.headers.get("content-type")).toMatch(/^text\/html/);
  });

  test("the owner page and the console are static pages", async () => {
    const home = await fetch(`${worker.base}/`);
    expect(home.status).toBe(200);
    expect(home.headers.get("content-type")).toMatch(/^text\/html/);
    const page = await home.text();
    // Its bundles are files, not the fallback page (a missing asset would still be 200, as HTML).
    const bundles = [...page.matchAll(/(?:src|href)="(\/assets\/[^"#]+\.(?:js|css))"/g)].map((m) => m[1]!);
    expect(bundles.length).toBeGreaterThan(0);
    for (const bundle of bundles) {
      const asset = await fetch(`${worker.base}${bundle}`);
      expect(asset.headers.get("content-type"), bundle).toMatch(/javascript|css/);
    }
    // /t/{code} has no file: it is the owner page too (single-page-application fallback).
    const owner = await fetch(`${worker.base}/t/some-owner-code`);
    expect(owner.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await owner.text()).toBe(page);
    const consolePage = await fetch(`${worker.base}/console`);
    expect(consolePage.status).toBe(200);
    expect(consolePage.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await consolePage.text()).not.toBe(page);
  });

  test("a rollout: release, start, a report, the owner's view, and a cron tick that opens the next wave", async () => {
    const region = `W${Math.random().toString(36).slice(2, 9).toUpperCase()}`;
    const fleet: { vehicle: { vin: string }; ownerCode: string; deviceToken: string }[] = [];
    for (let i = 0; i < 2; i++) {
      const registered = await call("PUT", `/v1/vehicles/${randomVin()}`, { json: vehicleBody({ region }) });
      expect(registered.status, registered.text).toBe(201);
      fleet.push(registered.body as (typeof fleet)[number]);
    }

    const version = randomVersion();
    // Wave 2 is scheduled shortly ahead: only the clock opens it (reports tick the
    // release too, so an earned auto-advance would not need the cron at all).
    const wave2StartsAt = new Date(Date.now() + 4_000);
    const created = await call("POST", "/v1/releases", {
      json: { version, channel: "stable", notes: "Charging fixes", eligibility: { regions: [region] } },
    });
    expect(created.status, created.text).toBe(201);
    const planned = await call("PUT", `/v1/releases/${version}/waves`, {
      headers: { "if-match": created.headers.get("etag")! },
      json: {
        waves: [
          { name: "first", share: 50 },
          { name: "rest", share: 100, startAt: wave2StartsAt.toISOString() },
        ],
      },
    });
    expect(planned.status, planned.text).toBe(200);
    const started = await call("POST", `/v1/releases/${version}/start`);
    expect(started.status, started.text).toBe(200);
    expect(started.body.state).toBe("rolling_out");

    // Which vehicle the fair queue order put first (wave 1, offered at the start).
    const queue = await call("GET", `/v1/releases/${version}/queue`);
    const entries = queue.body.entries as { position: number; vin: string; wave: number }[];
    const first = fleet.find((v) => v.vehicle.vin === entries.find((e) => e.wave === 1)!.vin)!;
    const second = fleet.find((v) => v !== first)!;

    const report = await call("POST", "/v1/reports", {
      token: first.deviceToken,
      json: { eventId: crypto.randomUUID(), vin: first.vehicle.vin, version, state: "installed", at: new Date().toISOString() },
    });
    expect(report.status, report.text).toBeLessThan(300);

    const installed = await call("GET", `/v1/track/${first.ownerCode}`, { token: null });
    expect(installed.status, installed.text).toBe(200);
    expect(installed.body).toMatchObject({ state: "installed", release: { version }, vehicle: { firmware: version } });
    const waiting = await call("GET", `/v1/track/${second.ownerCode}`, { token: null });
    expect(waiting.body).toMatchObject({
      state: "queued",
      queue: { position: 2, total: 2, ahead: 0, wave: { index: 2, name: "rest", state: "pending" } },
    });

    // The cron trigger's handler, run once wave 2 is due: it opens wave 2 and offers its vehicle.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, wave2StartsAt.getTime() - Date.now() + 50)));
    const tick = await fetch(`${worker.base}/__scheduled?cron=${encodeURIComponent("* * * * *")}`);
    expect(tick.status, `${await tick.text()}\n${worker.output().slice(-2_000)}`).toBe(200);
    const progress = await call("GET", `/v1/releases/${version}/progress`);
    const ticks = worker.output().split("\n").filter((line) => line.includes('"cron"'));
    expect((progress.body.waves as Json[]).map((w) => w.state), ticks.join("\n")).toEqual(["done", "active"]);
    const offered = await call("GET", `/v1/track/${second.ownerCode}`, { token: null });
    expect(offered.body).toMatchObject({ state: "offered", queue: { wave: { index: 2, state: "active" } } });
  });

  test("a streamed NDJSON import commits (its queries run after the response has started)", async () => {
    const region = `W${Math.random().toString(36).slice(2, 9).toUpperCase()}`;
    const lines = Array.from({ length: 3 }, () => JSON.stringify({ vin: randomVin(), ...vehicleBody({ region }) }));
    const res = await fetch(`${worker.base}/v1/vehicles/import`, {
      method: "POST",
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/x-ndjson" },
      body: lines.join("\n"),
    });
    const results = (await res.text()).trim().split("\n").map((line) => JSON.parse(line) as Json);
    expect(results.at(-1)).toEqual({ summary: { lines: 3, created: 3, updated: 0, rejected: 0, committed: true } });
  });
});

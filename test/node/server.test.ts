import { afterEach, describe, expect, test } from "vitest";
import { type NodeServer, startNodeServer } from "../helpers/node-server";

const servers: NodeServer[] = [];
afterEach(() => Promise.all(servers.splice(0).map((server) => server.stop())));

/** Starts `src/server.ts` the way `npm start` does (a fresh PGlite folder unless told otherwise). */
async function startServer(env: Record<string, string>) {
  const server = await startNodeServer({ env });
  servers.push(server);
  return server;
}

// Starting a server (tsx compile, PGlite migrations, the demo seed) can take most of a
// minute on a busy 2-core machine: each test's budget covers its own waits.
const serverTestTimeout = 150_000;

describe("the Node server, as `npm start` runs it", { timeout: serverTestTimeout }, () => {
  test("on PGlite in DATA_DIR: migrates, serves the API, the docs and their assets", async () => {
    const server = await startServer({ ADMIN_TOKEN: "server-test-admin-token-123", SEED_DEMO: "0" });
    expect(server.output()).toContain("PGlite");
    expect(server.output()).not.toContain("Demo fleet");
    const releases = await fetch(`${server.base}/v1/releases`, { headers: { authorization: "Bearer server-test-admin-token-123" } });
    expect(await releases.json()).toEqual({ releases: [] });

    expect(await (await fetch(`${server.base}/healthz`)).json()).toEqual({ status: "ok", database: "ok" });
    const keys = await fetch(`${server.base}/v1/keys`, {
      method: "POST",
      headers: { authorization: "Bearer server-test-admin-token-123", "content-type": "application/json" },
      body: JSON.stringify({ role: "support", label: "smoke" }),
    });
    expect(keys.status).toBe(201);
    const asset = await fetch(`${server.base}/assets/swagger-ui-dist/swagger-ui-bundle.js`);
    expect(asset.status).toBe(200);
    expect((await asset.text()).length).toBeGreaterThan(100_000);
  });

  test("with the demo on: a seeded fleet rolls out, driven through the real report path", async () => {
    const server = await startServer({ TICK_SECONDS: "1" });
    const link = /tracking link:\s+(\S+)/.exec(server.output())?.[1];
    const managerKey = /release manager: (\S+)/.exec(server.output())?.[1];
    expect(link).toMatch(/\/t\/[A-Za-z0-9_-]{24}$/);
    const code = link!.split("/t/")[1]!;
    const status = (await (await fetch(`${server.base}/v1/track/${code}`)).json()) as { release: { version: string }; queue: { position: number }; knownIssues: { reports: number; fixedIn: string | null }[] };
    expect(status.release.version).toBe("2026.44.1");
    // A known issue with reports: failed reports carrying its code and a linked case.
    expect(status.knownIssues).toEqual([expect.objectContaining({ fixedIn: "2026.44.2", reports: expect.any(Number) })]);
    expect(status.knownIssues[0]!.reports).toBeGreaterThanOrEqual(3);
    expect(status.queue.position).toBeGreaterThan(0);
    // the simulator reports through POST /v1/reports: installs appear within seconds
    let installed = 0;
    const deadline = Date.now() + 60_000;
    while (installed === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      const release = (await (await fetch(`${server.base}/v1/releases/2026.44.1`, { headers: { authorization: `Bearer ${managerKey}` } })).json()) as { counts: { installed: number } };
      installed = release.counts.installed;
    }
    expect(installed).toBeGreaterThan(0);
  });

  test.runIf(process.env.DATABASE_URL)("on Postgres when DATABASE_URL is set", async () => {
    const server = await startServer({ DATABASE_URL: process.env.DATABASE_URL!, SEED_DEMO: "0" });
    expect(server.output()).toContain("Postgres");
    expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
  });
});

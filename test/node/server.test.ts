import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";

const children: ChildProcess[] = [];
const folders: string[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGTERM");
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Starts `src/server.ts` the way `npm start` does and waits for it to say where it serves. */
async function startServer(env: Record<string, string>) {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
    env: { ...process.env, DATABASE_URL: "", ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(`http://localhost:${port}/healthz`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return { base: `http://127.0.0.1:${port}`, output: () => output, child };
}

// Starting a server (tsx compile, PGlite migrations, the demo seed) can take most of a
// minute on a busy 2-core machine: each test's budget covers its own waits.
const serverTestTimeout = 150_000;

describe("the Node server, as `npm start` runs it", { timeout: serverTestTimeout }, () => {
  test("on PGlite in DATA_DIR: migrates, serves the API, the docs and their assets", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rollout-server-"));
    folders.push(dir);
    const server = await startServer({ DATA_DIR: join(dir, "data"), ADMIN_TOKEN: "server-test-admin-token-123", SEED_DEMO: "0" });
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
    const dir = mkdtempSync(join(tmpdir(), "rollout-demo-"));
    folders.push(dir);
    const server = await startServer({ DATA_DIR: join(dir, "data"), TICK_SECONDS: "1" });
    const link = /tracking link:\s+(\S+)/.exec(server.output())?.[1];
    const managerKey = /release manager: (\S+)/.exec(server.output())?.[1];
    expect(link).toMatch(/\/t\/[A-Za-z0-9_-]{24}$/);
    const code = link!.split("/t/")[1]!;
    const status = (await (await fetch(`${server.base}/v1/track/${code}`)).json()) as { release: { version: string }; queue: { position: number } };
    expect(status.release.version).toBe("2026.44.1");
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

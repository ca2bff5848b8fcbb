// The real server for browser tests: `src/server.ts` as `npm start` runs it,
// on a fresh PGlite folder, on a free port; data is set up through the API.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type Server = {
  base: string;
  adminToken: string;
  api: <T = unknown>(method: string, path: string, options?: { key?: string; json?: unknown; body?: string; headers?: Record<string, string> }) => Promise<{ status: number; headers: Headers; data: T }>;
  stop: () => Promise<void>;
};

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export async function startServer(): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), "rollout-e2e-"));
  const port = await freePort();
  const adminToken = `e2e-admin-${Math.random().toString(36).slice(2)}-token`;
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
    // Every page here comes from one address; the per-client tracking limit is not what these tests are about.
    env: { ...process.env, DATABASE_URL: "", DATA_DIR: join(dir, "data"), PORT: String(port), ADMIN_TOKEN: adminToken, SEED_DEMO: "0", TRACK_RATE_LIMIT: "1000" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(`:${port}`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  const base = `http://127.0.0.1:${port}`;

  const api: Server["api"] = async (method, path, { key = adminToken, json, body, headers = {} } = {}) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(json !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      body: json !== undefined ? JSON.stringify(json) : body,
    });
    const text = await res.text();
    let data: unknown = text;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      // NDJSON and empty bodies stay text.
    }
    return { status: res.status, headers: res.headers, data: data as never };
  };

  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { base, adminToken, api, stop };
}

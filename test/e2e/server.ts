// The real server for browser tests: `src/server.ts` as `npm start` runs it,
// on a fresh PGlite folder, on a free port; data is set up through the API.
import { startNodeServer } from "../helpers/node-server";

export type Server = {
  base: string;
  adminToken: string;
  api: <T = unknown>(method: string, path: string, options?: { key?: string; json?: unknown; body?: string; headers?: Record<string, string> }) => Promise<{ status: number; headers: Headers; data: T }>;
  stop: () => Promise<void>;
};

export async function startServer(): Promise<Server> {
  const adminToken = `e2e-admin-${Math.random().toString(36).slice(2)}-token`;
  // Every page here comes from one address; the per-client tracking limit is not what these tests are about.
  // Start-up itself is tested in test/node: these start on an already migrated PGlite folder.
  const server = await startNodeServer({ migrated: true, timeoutMs: 90_000, env: { ADMIN_TOKEN: adminToken, SEED_DEMO: "0", TRACK_RATE_LIMIT: "1000" } });
  const base = server.base;

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

  return { base, adminToken, api, stop: server.stop };
}

import { request } from "node:http";
import { connect } from "node:net";
import { type NodeServer, startNodeServer as startServer } from "../helpers/node-server";

// The abuse tests need the real Node server: only it has a socket whose peer
// address a client cannot forge. The servers use DATABASE_URL's Postgres when
// there is one (it starts in a second where PGlite takes many on a busy
// machine), else a PGlite folder each.

export const serverAdminToken = "abuse-test-admin-token-0123";

export type { NodeServer };

/**
 * Starts `src/server.ts` on `port` (from this suite's range 25550-25599) and waits until it serves.
 * Fixed test ports sit below Linux's ephemeral range (32768-60999): there, a client connection
 * of a test file running beside this one could hold the port and the server fail with EADDRINUSE.
 */
export function startNodeServer(port: number, env: Record<string, string> = {}): Promise<NodeServer> {
  return startServer({
    port,
    timeoutMs: 45_000,
    env: { DATABASE_URL: process.env.DATABASE_URL ?? "", REDIS_URL: "", TRUST_PROXY: "", SEED_DEMO: "0", ADMIN_TOKEN: serverAdminToken, ...env },
  });
}

export type Reply = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/**
 * One request from a chosen loopback address (Linux routes all of 127/8 to lo),
 * so each test client has a connection address of its own.
 */
export function call(
  port: number,
  from: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; json?: unknown } = {},
): Promise<Reply> {
  const body = options.json === undefined ? undefined : JSON.stringify(options.json);
  const headers = { ...options.headers, ...(body ? { "content-type": "application/json" } : {}) };
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method, headers, localAddress: from, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Whether something answers on host:port (used to skip the Redis tests where no Redis runs). */
export function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(1_000);
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
  });
}

/** A code nobody was given (24 characters like a real one). */
export const guess = () => Array.from({ length: 24 }, () => "ABCDEFGHJKLMNPQRSTUVWXYZ"[Math.floor(Math.random() * 24)]).join("");

/** Starts several servers side by side; if one fails to start, the others are stopped too. */
export async function startNodeServers(specs: [port: number, env: Record<string, string>][]): Promise<NodeServer[]> {
  const started = await Promise.allSettled(specs.map(([port, env]) => startNodeServer(port, env)));
  const failed = started.find((r) => r.status === "rejected");
  if (failed) {
    await Promise.all(started.map((r) => (r.status === "fulfilled" ? r.value.stop() : undefined)));
    throw failed.reason;
  }
  return started.map((r) => (r as PromiseFulfilledResult<NodeServer>).value);
}

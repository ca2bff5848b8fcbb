import { request as httpRequest } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { afterEach, describe, expect, test } from "vitest";
import type { AnyImportLine } from "../helpers/api-types";
import { randomVin, vehicleBody } from "../helpers/fleet";
import { type NodeServer, copyMigratedPglite, startNodeServer } from "../helpers/node-server";

// SIGKILL a real server mid-import, restart it on the same data: every line
// that was answered "created" must exist, with the owner code it was given.

const adminToken = "crash-test-admin-token-0123456789";
const lineCount = 50_000;
/** Acknowledged creations to wait for before the kill: well into the import, well before its end. */
const killAfter = 10_000;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Starts `src/server.ts` as `npm start` does; stopped after the test whatever happened to it. */
async function startServer(port: number, env: Record<string, string>): Promise<NodeServer> {
  const server = await startNodeServer({ port, timeoutMs: 30_000, env: { SEED_DEMO: "0", ADMIN_TOKEN: adminToken, TRACK_RATE_LIMIT: "10000", ...env } });
  cleanups.push(() => server.stop());
  return server;
}

type Result = AnyImportLine;

/**
 * Streams `lines` as an import over plain HTTP (so results are read while the
 * body is still being sent) and calls `onResult` for each result line.
 * Resolves when the response ends or the connection breaks.
 */
function streamImport(server: NodeServer, lines: string[], onResult: (r: Result) => void): Promise<void> {
  return new Promise((resolve) => {
    const req = httpRequest({
      host: "127.0.0.1",
      port: server.port,
      method: "POST",
      path: "/v1/vehicles/import",
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/x-ndjson" },
    });
    req.on("error", () => resolve());
    req.on("response", (res) => {
      let pending = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        pending += chunk;
        const parts = pending.split("\n");
        pending = parts.pop()!;
        for (const part of parts) if (part) onResult(JSON.parse(part) as Result);
      });
      res.on("end", () => resolve());
      res.on("error", () => resolve());
      res.on("aborted", () => resolve());
    });
    let next = 0;
    const write = () => {
      while (next < lines.length) {
        const chunk = `${lines.slice(next, next + 1000).join("\n")}\n`;
        next += 1000;
        if (!req.write(chunk)) return void req.once("drain", write);
      }
      req.end();
    };
    write();
  });
}

/** A Postgres database of its own for the server (dropped afterwards), or a migrated PGlite folder of its own. */
async function freshDatabase(kind: "pglite" | "postgres"): Promise<Record<string, string>> {
  if (kind === "pglite") {
    const dir = mkdtempSync(join(tmpdir(), "rollout-import-crash-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    copyMigratedPglite(join(dir, "data"));
    return { DATA_DIR: join(dir, "data") };
  }
  const url = new URL(process.env.DATABASE_URL!);
  const name = `rollout_import_crash_${Math.random().toString(36).slice(2, 10)}`;
  const admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  cleanups.push(async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  });
  url.pathname = `/${name}`;
  return { DATABASE_URL: url.toString() };
}

const kinds = ["pglite", ...(process.env.DATABASE_URL ? ["postgres" as const] : [])] as const;

describe.each(kinds.map((kind, i) => ({ kind, port: 25450 + i })))("crash during an import ($kind)", ({ kind, port }) => {
  test("every line answered 'created' survives a SIGKILL, and re-sending the file completes it", { timeout: 90_000 }, async () => {
    const env = await freshDatabase(kind);
    const lines = Array.from({ length: lineCount }, () => JSON.stringify({ vin: randomVin(), ...vehicleBody() }));

    const first = await startServer(port, env);
    const acknowledged = new Map<string, string>();
    let summary: Result["summary"];
    await streamImport(first, lines, (r) => {
      if (r.result === "created") acknowledged.set(r.vin!, r.ownerCode!);
      if (r.summary) summary = r.summary;
      if (acknowledged.size >= killAfter && first.child.exitCode === null) first.child.kill("SIGKILL");
    });
    expect(summary, "the import finished before the kill: nothing was tested").toBeUndefined();
    expect(acknowledged.size).toBeGreaterThanOrEqual(killAfter);
    await new Promise((resolve) => (first.child.exitCode === null && first.child.signalCode === null ? first.child.once("exit", resolve) : resolve(null)));

    // Same data, a new process (on PGlite it takes over the dead one's lock).
    const second = await startServer(port, env);
    const codes = [...acknowledged.values()].filter((_, i) => i % Math.floor(acknowledged.size / 25) === 0);
    for (const code of codes) {
      const res = await fetch(`${second.base}/v1/track/${code}`);
      expect(res.status, `owner code ${code}`).toBe(200);
    }

    // Re-sending the whole file is safe: what was acknowledged comes back as updated, the rest lands.
    const resent = new Map<string, string>();
    summary = undefined;
    await streamImport(second, lines, (r) => {
      if (r.vin) resent.set(r.vin, r.result!);
      if (r.summary) summary = r.summary;
    });
    expect(summary).toMatchObject({ lines: lineCount, rejected: 0, committed: true });
    expect(summary!.created + summary!.updated).toBe(lineCount);
    const lost = [...acknowledged.keys()].filter((vin) => resent.get(vin) !== "updated");
    expect(lost.length, `acknowledged vehicles missing after the crash (of ${acknowledged.size})`).toBe(0);
  });
});

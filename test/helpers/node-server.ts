// `src/server.ts` as `npm start` runs it, in a child process: the tests that
// need a real socket (client addresses, crashes, outages, the pages) share
// this one way of starting, waiting for and stopping it.
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export type NodeServer = {
  port: number;
  base: string;
  child: ChildProcess;
  output: () => string;
  alive: () => boolean;
  /** SIGTERM (SIGKILL after 5 s), then removes the data folder it made. */
  stop: () => Promise<void>;
};

/**
 * A copy of the PGlite folder the global setup created and migrated, at `to`:
 * a server opens it as it would a folder it had made itself, without the
 * initdb process and the migrations (~2 s of CPU) it takes to make one.
 */
export function copyMigratedPglite(to: string) {
  cpSync(inject("migratedPglite").folder, to, { recursive: true });
}

/**
 * Starts the server with `env` over this process's environment (no
 * DATABASE_URL, a new PGlite folder unless `env` names one) and waits until
 * it prints its health address, and every `waitFor` text (stderr included).
 * The new folder is empty, for the server to create and migrate as on a first
 * start, unless `migrated` asks for a copy of one already migrated.
 */
export async function startNodeServer({
  port,
  env = {},
  waitFor = [],
  timeoutMs = 60_000,
  migrated = false,
}: { port?: number; env?: Record<string, string>; waitFor?: string[]; timeoutMs?: number; migrated?: boolean } = {}): Promise<NodeServer> {
  const listenOn = port ?? (await freePort());
  const dir = env.DATA_DIR ? undefined : mkdtempSync(join(tmpdir(), "rollout-server-"));
  // Outside vitest (`npm run lighthouse`) there is no migrated folder to copy: the server migrates its own, as on a first start.
  if (dir && migrated && process.env.VITEST) copyMigratedPglite(join(dir, "data"));
  const child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
    env: { ...process.env, DATABASE_URL: "", ...(dir ? { DATA_DIR: join(dir, "data") } : {}), ...env, PORT: String(listenOn) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const alive = () => child.exitCode === null && child.signalCode === null;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (alive()) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), timeoutMs);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if ([`:${listenOn}/healthz`, ...waitFor].every((text) => output.includes(text))) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
      child.once("exit", (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { port: listenOn, base: `http://127.0.0.1:${listenOn}`, child, output: () => output, alive, stop };
}

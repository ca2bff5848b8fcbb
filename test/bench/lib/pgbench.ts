// The database's own ceiling: pgbench's select-only load with prepared
// statements on the same Postgres, from the load core, on a scratch database.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { freshDatabase } from "./fleet";
import { loadCore } from "./proc";

const run = promisify(execFile);

function pgbenchPath(): string {
  for (const candidate of ["/usr/lib/postgresql/15/bin/pgbench", "/usr/bin/pgbench"]) if (existsSync(candidate)) return candidate;
  return "pgbench";
}

export async function preparePgbench(url: string, name: string): Promise<string> {
  const scratch = await freshDatabase(url, name);
  await run(pgbenchPath(), ["-i", "-q", "-s", "10", scratch]);
  return scratch;
}

export async function pgbench(scratch: string, options: { clients: number; seconds: number }): Promise<number> {
  const { stdout } = await run("taskset", ["-c", loadCore, pgbenchPath(), "-S", "-M", "prepared", "-n", `-c${options.clients}`, "-j1", `-T${options.seconds}`, scratch]);
  const tps = /tps = ([\d.]+)/.exec(stdout);
  if (!tps) throw new Error(`pgbench printed no tps:\n${stdout}`);
  return Number(tps[1]);
}

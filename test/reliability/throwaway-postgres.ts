import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startNodeServer } from "../helpers/node-server";

const bin = "/usr/lib/postgresql/15/bin";
const asRoot = process.getuid?.() === 0;

export const canRunPostgres = existsSync(join(bin, "initdb"));

/** Runs a Postgres binary; as root through the postgres user, which Postgres requires. */
function pg(tool: string, args: string[]) {
  const [file, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", join(bin, tool), ...args]] : [join(bin, tool), args];
  return execFileSync(file, argv, { stdio: "pipe", timeout: 30_000 }).toString();
}

/** A Postgres cluster of its own in a temporary folder, to stop and start at will. */
export function throwawayPostgres(port: number) {
  const dir = mkdtempSync(join(tmpdir(), "rollout-pg-"));
  if (asRoot) {
    chmodSync(dir, 0o777);
    execFileSync("chown", ["postgres", dir]);
  }
  const data = join(dir, "data");
  pg("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "--no-instructions"]);
  // fsync off is safe here: an immediate stop kills processes, not the OS page
  // cache. synchronous_commit stays on, or acknowledged commits would be lost.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const cluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: () => pg("pg_ctl", ["-D", data, "-o", options, "-l", join(dir, "log"), "-w", "-t", "30", "start"]),
    /** Like a crash or a pulled plug: no shutdown checkpoint, connections cut. */
    crash: () => pg("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]),
    destroy: () => {
      try {
        pg("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  cluster.start();
  return cluster;
}

/** Starts `src/server.ts` as `npm start` does and waits until it says where it serves. */
export function startServer(env: Record<string, string>, port: number) {
  return startNodeServer({ port, env, timeoutMs: 30_000 });
}

import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import type { Db } from "../db/client";
import * as schema from "../db/schema";
import { withNamedStatements } from "./pglite-statements";

/**
 * PGlite corrupts a data folder that two processes open, so the folder is
 * guarded by a lock file holding the owner's pid; a lock left by a process
 * that is gone is taken over.
 */
const heldLocks = new Set<string>();

function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  // Beside the folder, not in it: the folder is Postgres's own data directory.
  const lockPath = `${dataDir.replace(/\/+$/, "")}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      heldLocks.add(lockPath);
      return () => {
        heldLocks.delete(lockPath);
        rmSync(lockPath, { force: true });
      };
    } catch (error) {
      if (errorCode(error) !== "EEXIST") throw error;
      const owner = Number(readFileSync(lockPath, "utf8"));
      const inUse = owner === process.pid ? heldLocks.has(lockPath) : owner > 0 && isAlive(owner);
      if (inUse) {
        throw new Error(`The data folder ${dataDir} is in use by process ${owner}; PGlite allows one process per folder.`);
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock ${dataDir}.`);
}

const errorCode = (error: unknown) => (error instanceof Error && "code" in error ? error.code : undefined);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === "EPERM";
  }
}

/**
 * Creating a database runs initdb in a second PGlite whose wasm memory (~450 MB)
 * stays reachable for the life of the process: the server sat at ~900 MB RSS
 * before its first request, against ~380 MB when it opens an existing folder.
 * So a new folder is created by a short-lived child process, and this process
 * only ever opens an existing one.
 */
async function createDataDirApart(dataDir: string) {
  const pglite = import.meta.resolve("@electric-sql/pglite");
  const script = `const { PGlite } = await import(${JSON.stringify(pglite)}); await (await PGlite.create(process.argv[1])).close();`;
  await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script, dataDir]);
}

/** The app's Db over a PGlite client: drizzle with the schema, repeated queries as named statements. */
export function pgliteDb(client: PGlite) {
  // Db is the driver-neutral type both drivers' drizzle instances are used as; their
  // query-result types differ, which no caller reads (rows come typed from drizzle).
  return drizzle(withNamedStatements(client), { schema }) as unknown as Db;
}

/** PGlite in a data folder (persistent) or in memory when no folder is given. */
export async function openPglite(dataDir?: string) {
  const unlock = dataDir ? lockDataDir(dataDir) : () => {};
  try {
    if (dataDir && !existsSync(join(dataDir, "PG_VERSION"))) await createDataDirApart(dataDir);
    const client = await PGlite.create(dataDir ? { dataDir } : {});
    return {
      db: pgliteDb(client),
      client,
      close: async () => {
        await client.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}

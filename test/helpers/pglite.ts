import { openAsBlob } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { inject } from "vitest";
import { pgliteDb } from "../../src/node/pglite";

let dump: Promise<Blob> | undefined;

/**
 * A migrated PGlite client in memory, started from the dump of a data folder
 * the global setup migrated once per run (test/setup/migrated-pglite.ts): initdb
 * and every migration cost ~1.5 s of CPU per instance, loading the dump ~0.4 s.
 * Creating and migrating a database is tested where it is the point (test/node).
 */
export async function migratedPgliteClient() {
  dump ??= openAsBlob(inject("migratedPglite").dump);
  return PGlite.create({ loadDataDir: await dump });
}

/** As openPglite() and migratePgliteDb() leave it: the app's Db over a migrated in-memory PGlite. */
export async function openMigratedPglite() {
  const client = await migratedPgliteClient();
  return { db: pgliteDb(client), client, close: () => client.close() };
}

import type { Db } from "../db/client";
import { connectPostgres } from "../db/postgres";
import { migratePgliteDb, migratePostgresDb } from "./migrate";
import { openPglite } from "./pglite";

export type Database = { db: Db; kind: "postgres" | "pglite"; close: () => Promise<void> };

/** Postgres when a URL is given, otherwise PGlite in `dataDir`; migrated either way. */
export async function openDatabase(options: { databaseUrl?: string; dataDir: string }): Promise<Database> {
  if (options.databaseUrl) {
    await migratePostgresDb(options.databaseUrl);
    const { db, close } = connectPostgres(options.databaseUrl);
    return { db, kind: "postgres", close };
  }
  const { db, client, close } = await openPglite(options.dataDir);
  await migratePgliteDb(client);
  return { db, kind: "pglite", close };
}

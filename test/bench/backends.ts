import type { Db } from "../../src/db/client";
import { connectPostgres } from "../../src/db/postgres";
import { migratePgliteDb, migratePostgresDb } from "../../src/node/migrate";
import { openPglite } from "../../src/node/pglite";

/** Runs a measurement on PGlite (in memory) and, when DATABASE_URL is set, on that Postgres. */
export async function onEachBackend(measure: (name: string, db: Db) => Promise<void>) {
  const pglite = await openPglite();
  await migratePgliteDb(pglite.client);
  await measure("PGlite (in memory)", pglite.db);
  await pglite.close();

  if (process.env.DATABASE_URL) {
    await migratePostgresDb(process.env.DATABASE_URL);
    const pg = connectPostgres(process.env.DATABASE_URL);
    await measure("Postgres", pg.db);
    await pg.close();
  }
}

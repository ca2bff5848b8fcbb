import { fileURLToPath } from "node:url";
import type { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

export const migrationsFolder = fileURLToPath(new URL("../../migrations", import.meta.url));

export async function migratePgliteDb(client: PGlite) {
  await migratePglite(drizzlePglite(client), { migrationsFolder });
}

/**
 * Several processes may start against one Postgres (tests, replicas): an
 * advisory lock, held on the single connection of a client of its own, lets
 * exactly one of them migrate at a time.
 */
export async function migratePostgresDb(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(7243001)`;
    await migratePostgres(drizzlePostgres(sql), { migrationsFolder });
  } finally {
    await sql.end();
  }
}

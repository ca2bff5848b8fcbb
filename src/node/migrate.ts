import { fileURLToPath } from "node:url";
import type { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { Sql } from "postgres";

export const migrationsFolder = fileURLToPath(new URL("../../migrations", import.meta.url));

export async function migratePgliteDb(client: PGlite) {
  await migratePglite(drizzlePglite(client), { migrationsFolder });
}

/**
 * Several processes may start against one Postgres (tests, replicas): an
 * advisory lock held on one reserved connection lets exactly one migrate.
 */
export async function migratePostgresDb(sql: Sql) {
  const connection = await sql.reserve();
  try {
    await connection`select pg_advisory_lock(7243001)`;
    try {
      await migratePostgres(drizzlePostgres(connection), { migrationsFolder });
    } finally {
      await connection`select pg_advisory_unlock(7243001)`;
    }
  } finally {
    connection.release();
  }
}

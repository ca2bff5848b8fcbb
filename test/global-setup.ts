import { migratePostgresDb } from "../src/node/migrate";

// Postgres is migrated once per run; PGlite databases are made per test file.
export default async function setup() {
  if (process.env.DATABASE_URL) await migratePostgresDb(process.env.DATABASE_URL);
}

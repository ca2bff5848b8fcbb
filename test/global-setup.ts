import postgres from "postgres";
import { migratePostgresDb } from "../src/node/migrate";

// Postgres is migrated once per run; PGlite databases are made per test file.
export default async function setup() {
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migratePostgresDb(sql);
  } finally {
    await sql.end();
  }
}

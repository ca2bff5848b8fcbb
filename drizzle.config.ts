import { defineConfig } from "drizzle-kit";

// `drizzle-kit generate` needs only the schema; `drizzle-kit migrate`
// (npm run db:migrate, for a production database) also needs DATABASE_URL.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema.ts",
  out: "./migrations",
  ...(process.env.DATABASE_URL ? { dbCredentials: { url: process.env.DATABASE_URL } } : {}),
});

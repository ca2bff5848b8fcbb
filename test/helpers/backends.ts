import { afterAll } from "vitest";
import type { Db } from "../../src/db/client";
import { connectPostgres } from "../../src/db/postgres";
import { openMigratedPglite } from "./pglite";

export type Backend = { name: "pglite" | "postgres"; db: () => Promise<Db> };

const opened: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(opened.splice(0).map((close) => close()));
});

function once<T>(open: () => Promise<T>) {
  let value: Promise<T> | undefined;
  return () => (value ??= open());
}

/** PGlite always (in memory, one per test file); Postgres too when DATABASE_URL is set. */
export const backends: Backend[] = [
  {
    name: "pglite",
    db: once(async () => {
      const { db, close } = await openMigratedPglite();
      opened.push(close);
      return db;
    }),
  },
  ...(process.env.DATABASE_URL
    ? [
        {
          name: "postgres" as const,
          // Migrated once by the global setup.
          db: once(async () => {
            const { db, close } = connectPostgres(process.env.DATABASE_URL!, { max: 4 });
            opened.push(close);
            return db;
          }),
        },
      ]
    : []),
];

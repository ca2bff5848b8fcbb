import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { describe, expect, test } from "vitest";
import type { Db } from "../../src/db/client";
import { connectPostgres } from "../../src/db/postgres";
import { rowsOf } from "../../src/db/rows";

const url = process.env.DATABASE_URL;

// postgres.js 3.4.9 could send a transaction's BEGIN without reserving its
// connection (porsager/postgres#1189) and then hand that connection to other
// queries, which ran inside the transaction. Each transaction marks itself with
// a transaction-local setting, and each plain query leaves a transaction-local
// mark of its own: a plain query that sees a transaction's mark, or a
// transaction that sees any mark but its own, shared a transaction.
async function raceTransactionsAndQueries(db: Db, clients = 16, rounds = 15) {
  const failures: string[] = [];
  const markOf = async (query: Db | Parameters<Parameters<Db["transaction"]>[0]>[0], name: string) => {
    const [row] = rowsOf<{ mark: string | null }>(await query.execute(sql`select current_setting(${name}, true) as mark`));
    return row?.mark || null;
  };
  // No parameters: a statement with parameters is described first on each
  // connection, which keeps it from being pipelined and hides the race.
  const plain = async (id: string) => {
    const [row] = rowsOf<{ mark: string | null }>(
      await db.execute(sql`select current_setting('race.tx', true) as mark, set_config('race.plain', 'left by a plain query', true)`),
    );
    if (row?.mark) failures.push(`plain query ${id} ran inside transaction ${row.mark}`);
  };
  const transaction = (id: string) =>
    db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('race.tx', ${id}, true)`);
      for (let step = 0; step < 2; step++) {
        const mark = await markOf(tx, "race.tx");
        if (mark !== id) failures.push(`transaction ${id} saw ${mark}`);
      }
      const intruder = await markOf(tx, "race.plain");
      if (intruder) failures.push(`a plain query ran inside transaction ${id}`);
    });
  // Clients that each alternate a plain query and a transaction, like requests
  // that look up a key and then write: far more of them than connections.
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let round = 0; round < rounds; round++) {
        const id = `c${client}r${round}`;
        try {
          await plain(id);
          await transaction(id);
        } catch (error) {
          const cause = (error as { cause?: { code?: string } }).cause;
          failures.push(`${id}: ${cause?.code ?? (error as Error).message}`);
        }
      }
    }),
  );
  // No connection was left inside a transaction.
  for (let i = 0; i < 6; i++) await plain(`after${i}`);
  return failures;
}

describe.runIf(url)("concurrent requests never share a transaction (postgres)", () => {
  test("on the app's pool", async () => {
    const { db, close } = connectPostgres(url!, { max: 3 });
    try {
      expect((await raceTransactionsAndQueries(db)).slice(0, 5)).toEqual([]);
    } finally {
      await close();
    }
  });

  test("in the driver, where BEGIN fills a connection's pipeline", async () => {
    // A pipeline of one query puts every BEGIN that lands on a busy connection at
    // the boundary of #1189, so the driver's own fix is what is tested here.
    // (max_pipeline is missing from the driver's types.)
    const options = { max: 3, max_pipeline: 1, onnotice: () => {} } as postgres.Options<Record<string, postgres.PostgresType>>;
    const client = postgres(url!, options);
    try {
      const db = drizzle(client) as unknown as Db;
      expect((await raceTransactionsAndQueries(db)).slice(0, 5)).toEqual([]);
    } finally {
      await client.end({ timeout: 5 });
    }
  });
});

import { sql } from "drizzle-orm";
import type { Db } from "../../src/db/client";

type Rows = { rows?: Record<string, unknown>[] } | Record<string, unknown>[];
const rowsOf = (result: Rows) => (Array.isArray(result) ? result : (result.rows ?? []));

/**
 * Pins the test's transaction to one snapshot, so rows committed meanwhile by
 * other test files on the same Postgres never look like a change we made.
 * Must be the first statement of the transaction.
 */
export async function pinSnapshot(db: Db) {
  await db.execute(sql`set transaction isolation level repeatable read`);
}

/** A hash of every row of every table as this transaction sees it: equal means nothing changed. */
export async function fingerprint(db: Db): Promise<string> {
  const tables = rowsOf(
    (await db.execute(
      sql`select tablename from pg_tables where schemaname = current_schema() and tablename not like '%migrations%' order by tablename`,
    )) as Rows,
  ).map((r) => String(r.tablename));
  const parts = tables.map((t) => {
    const table = sql.identifier(t);
    return sql`select ${t}::text || ':' || count(*) || ':' || coalesce(md5(string_agg(r::text, ',' order by r::text)), '') as h from ${table} r`;
  });
  const [row] = rowsOf((await db.execute(sql`select string_agg(h, '|' order by h) as h from (${sql.join(parts, sql` union all `)}) x`)) as Rows);
  return String(row?.h);
}

import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "./schema";

// PGlite, postgres.js on Node and postgres.js behind Hyperdrive all give this
// same drizzle surface; the domain code sees only these types.
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

/**
 * Connections the database behind `db` can use at once: postgres.js states its
 * pool size (drizzle keeps the driver as $client); PGlite and a transaction are one.
 */
export function poolConnections(db: DbOrTx): number {
  const pool = (db as unknown as { $client?: { options?: { max?: unknown } } }).$client?.options?.max;
  return typeof pool === "number" && pool > 1 ? pool : 1;
}

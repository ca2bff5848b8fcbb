import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Db } from "./client";
import * as schema from "./schema";

export type PostgresOptions = {
  /** Pool size. Keep in-flight queries at or below it (porsager/postgres#747). */
  max?: number;
  /** Named prepared statements (on by default; Hyperdrive supports and caches them too). */
  prepare?: boolean;
};

export function connectPostgres(url: string, options: PostgresOptions = {}) {
  const client = postgres(url, {
    max: options.max ?? 10,
    prepare: options.prepare ?? true,
    // One query per connection at a time: postgres.js 3.4.9 degrades when its
    // internal queue grows (porsager/postgres#747), so queries wait for a free
    // connection instead of piling up behind a busy one.
    max_pipeline: 1,
    connect_timeout: 5,
    onnotice: () => {},
  } as postgres.Options<Record<string, postgres.PostgresType>>);
  const db = drizzle(client, { schema }) as unknown as Db;
  return { db, client, close: () => client.end({ timeout: 5 }) };
}

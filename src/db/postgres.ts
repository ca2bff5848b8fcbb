import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Db } from "./client";
import { gateClient } from "./pool-gate";
import * as schema from "./schema";

// postgres.js is pinned to 3.4.9 and patched (patches/postgres+3.4.9.patch,
// applied by patch-package on every install): BEGIN could go out without
// reserving its connection, so other requests' queries ran inside that
// transaction (porsager/postgres#1189, fix of PR #1218), and a write on a closed
// socket could kill the process (#1154, #1208). Drop the patch, and the pin,
// once a release contains both fixes; test/reliability/transaction-race.test.ts
// and db-faults.test.ts tell whether it does.

export type PostgresOptions = {
  /** Pool size; at most this many queries or transactions are in flight (porsager/postgres#747). */
  max?: number;
  /** Named prepared statements (on by default; Hyperdrive supports and caches them too). */
  prepare?: boolean;
  /** How long a query may wait for a free connection before it fails as unavailable (503). */
  acquireTimeoutMs?: number;
};

export function connectPostgres(url: string, options: PostgresOptions = {}) {
  const max = options.max ?? 10;
  const client = postgres(url, {
    max,
    prepare: options.prepare ?? true,
    // Bounded, so a request fails within seconds while the database is away
    // instead of waiting on a dead address (the default is 30 s)...
    connect_timeout: 3,
    // ...and so it is retried within a second once it returns: the default backoff
    // grows to 20 s, which both held requests for ~29 s and delayed recovery.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
    onnotice: () => {},
  });
  // No max_pipeline: 1 here; it put every queued BEGIN at the pipeline boundary
  // of #1189. The gate keeps the driver's own queues short instead.
  const gated = gateClient(client, { slots: max, acquireTimeoutMs: options.acquireTimeoutMs ?? 3000 });
  // Db is the driver-neutral type (see src/node/pglite.ts): the result types differ per driver.
  const db = drizzle(gated, { schema }) as unknown as Db;
  return { db, client, close: () => client.end({ timeout: 5 }) };
}

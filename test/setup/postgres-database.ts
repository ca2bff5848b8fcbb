// Test files that run side by side must not share a Postgres database: one
// would see the other's commits (its clock ticks would move them) and wait on
// its locks (advisory locks are per database). So each vitest worker works in
// a copy of the migrated DATABASE_URL of its own, which this sets as
// DATABASE_URL before the test file is imported.
import { inject } from "vitest";
import { workerDatabase } from "./worker-databases";

const run = inject("postgresCopies");
if (run) process.env.DATABASE_URL = await workerDatabase(run, process.env.VITEST_POOL_ID ?? "1");

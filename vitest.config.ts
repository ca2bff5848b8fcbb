import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    setupFiles: ["test/setup/postgres-database.ts"],
    // vitest's default on 2 cores is one worker, so files ran one at a time while
    // most of their time is spent waiting on other processes (Postgres, servers,
    // Chromium). Two files at a time; each worker has a Postgres database of its
    // own (test/setup/postgres-database.ts) and every PGlite is in memory or in a
    // folder of its own.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

import { BaseSequencer, type TestSpecification } from "vitest/node";
import { defineConfig } from "vitest/config";

/**
 * The browser tests first. Without timings from an earlier run (a fresh CI
 * clone has none) vitest starts the largest files first, and the longest file
 * of all, test/e2e/quality-pages.test.ts (~2.5 min), is one of the smaller
 * ones: the run would end with it going on alone. With timings, the order
 * within each group stays longest first.
 */
class BrowserTestsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]) {
    const sorted = await super.sort(files);
    const inBrowser = (file: TestSpecification) => /\/test\/(e2e|lighthouse)\//.test(file.moduleId);
    return [...sorted.filter(inBrowser), ...sorted.filter((file) => !inBrowser(file))];
  }
}

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
    sequence: { sequencer: BrowserTestsFirst },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

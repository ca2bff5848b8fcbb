import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { TestProject } from "vitest/node";
import { migratePostgresDb } from "../src/node/migrate";
import { dropCopies } from "./setup/worker-databases";

declare module "vitest" {
  export interface ProvidedContext {
    /** A migrated PGlite data folder (to copy, never to open) and a dump of it (test/helpers/pglite.ts). */
    migratedPglite: { folder: string; dump: string };
    /** DATABASE_URL, migrated, and this run's id: each worker works in a copy of it (test/setup/postgres-database.ts). */
    postgresCopies: { template: string; id: number } | undefined;
  }
}

// Postgres and PGlite are each migrated once per run; every test file starts
// its databases from those migrated ones.
export default async function setup(project: TestProject) {
  const postgresTemplate = process.env.DATABASE_URL;
  const templates = mkdtempSync(join(tmpdir(), "rollout-test-templates-"));
  await Promise.all([
    postgresTemplate ? migratePostgresDb(postgresTemplate).then(() => dropCopies(postgresTemplate)) : undefined,
    promisify(execFile)(process.execPath, ["--import", "tsx", fileURLToPath(new URL("setup/migrated-pglite.ts", import.meta.url)), templates]),
  ]);
  project.provide("migratedPglite", { folder: join(templates, "data"), dump: join(templates, "data.tar") });
  project.provide("postgresCopies", postgresTemplate ? { template: postgresTemplate, id: process.pid } : undefined);
  return async () => {
    rmSync(templates, { recursive: true, force: true });
    if (postgresTemplate) await dropCopies(postgresTemplate, process.pid);
  };
}

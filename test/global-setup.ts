import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { TestProject } from "vitest/node";
import { migratePostgresDb } from "../src/node/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    /** A migrated PGlite data folder (to copy, never to open) and a dump of it (test/helpers/pglite.ts). */
    migratedPglite: { folder: string; dump: string };
  }
}

// Postgres is migrated once per run; PGlite is migrated once per run too, and
// each test file starts its PGlite databases from that migrated copy.
export default async function setup(project: TestProject) {
  const templates = mkdtempSync(join(tmpdir(), "rollout-test-templates-"));
  await Promise.all([
    process.env.DATABASE_URL ? migratePostgresDb(process.env.DATABASE_URL) : undefined,
    promisify(execFile)(process.execPath, ["--import", "tsx", "test/setup/migrated-pglite.ts", templates]),
  ]);
  project.provide("migratedPglite", { folder: join(templates, "data"), dump: join(templates, "data.tar") });
  return () => rmSync(templates, { recursive: true, force: true });
}

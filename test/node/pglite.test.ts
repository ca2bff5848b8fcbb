import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, test } from "vitest";
import { rowsOf } from "../../src/db/rows";
import { openDatabase } from "../../src/node/database";

const folders: string[] = [];
afterEach(() => {
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "rollout-pglite-"));
  folders.push(dir);
  return join(dir, "data");
};

describe("PGlite in a data folder", () => {
  test("keeps data across restarts and migrates an existing folder without harm", async () => {
    const dataDir = tempDir();
    const first = await openDatabase({ dataDir });
    await first.db.execute(sql`insert into api_keys (label, role, token_hash) values ('kept', 'support', 'abc')`);
    await first.close();

    const second = await openDatabase({ dataDir });
    const rows = rowsOf(await second.db.execute(sql`select label from api_keys`));
    expect(rows).toEqual([{ label: "kept" }]);
    await second.close();
  });

  test("refuses a second opener of the same folder instead of corrupting it", async () => {
    const dataDir = tempDir();
    const first = await openDatabase({ dataDir });
    try {
      await expect(openDatabase({ dataDir })).rejects.toThrow(/in use/);
    } finally {
      await first.close();
    }
    // released on close: the folder opens again
    const again = await openDatabase({ dataDir });
    await again.close();
  });
});

import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { rowsOf } from "../../src/db/rows";
import { textArray } from "../../src/db/text-array";
import { backends } from "../helpers/backends";

// Imports send their columns as text[] literals (src/db/text-array.ts): every
// text must come back from unnest() exactly as it went in, on both databases.
describe.each(backends)("text[] parameters ($name)", (backend) => {
  test("any text round-trips through a text[] literal and unnest", async () => {
    const db = await backend.db();
    const values = ["plain", "a,b", 'say "hi"', "back\\slash", '\\"', "{braces}", "NULL", "null", "", " spaced ", "ünïcödé ✓", "tab\there", "new\nline"];
    const rows = rowsOf<{ v: string; n: string }>(
      await db.execute(sql`select v, n from unnest(${textArray(values)}::text[]) with ordinality as t(v, n) order by n`),
    );
    expect(rows.map((r) => r.v)).toEqual(values);
  });
});

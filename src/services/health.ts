import { sql } from "drizzle-orm";
import type { Db } from "../db/client";

/** One round trip: throws when the database cannot be reached. */
export async function checkDatabase(db: Db) {
  await db.execute(sql`select 1`);
}

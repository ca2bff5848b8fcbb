import { sql } from "drizzle-orm";
import type { Db } from "../../../src/db/client";

/**
 * Lets the database catch up before a read row: `advance` rewrites a million
 * queue entries and `import` a million vehicles, and autovacuum and checkpoints
 * then run for a minute or more beside whatever is measured next. A row measures
 * the server, so it starts on a vacuumed, checkpointed database (the writes'
 * own rows include that cost in their figures: it is theirs).
 */
export async function settle(db: Db): Promise<number> {
  const began = performance.now();
  await db.execute(sql`vacuum (analyze) vehicles, queue_entries, update_events`);
  await db.execute(sql`checkpoint`);
  return performance.now() - began;
}

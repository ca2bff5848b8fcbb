import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx } from "../db/client";
import { prepared } from "../db/prepared";
import { type WaveMove, waveMoves } from "../domain/wave-moves";

// Kept apart from the owner's one-query read (track-context.ts) on purpose:
// it runs only for a car waiting in a queue, on the audit log's release index,
// and reads the plan summaries that `waves.replanned` records (before / after).

const Wave = z.object({ name: z.string(), share: z.number() });
const Change = z.object({ at: z.coerce.date(), before: z.array(Wave), after: z.object({ waves: z.array(Wave) }) });

const replansQuery = (db: DbOrTx) =>
  db
    .select({ at: sql<unknown>`a.at`, before: sql<unknown>`a.before`, after: sql<unknown>`a.after` })
    .from(sql`audit_log a join releases r on r.id = a.release_id`)
    .where(sql`r.version = ${sql.placeholder("version")} and a.action = 'waves.replanned' and a.at > ${sql.placeholder("since")}::timestamptz`)
    .orderBy(sql`a.at`)
    .prepare("track_replans");

/** Timeline steps for the re-plans since `since` that moved the car at `position` to another wave. */
export async function replanSteps(db: Db, release: { version: string; queueSize: number }, position: number, since: string): Promise<WaveMove[]> {
  const rows = await prepared(db, "track_replans", replansQuery).execute({ version: release.version, since: new Date(since).toISOString() });
  const changes = rows.flatMap((row) => {
    const parsed = Change.safeParse(row);
    // A summary in another shape (older rows) cannot be replayed; it is left out rather than guessed.
    return parsed.success ? [{ at: parsed.data.at.toISOString(), before: parsed.data.before, after: parsed.data.after.waves }] : [];
  });
  return waveMoves(changes, position, release.queueSize);
}

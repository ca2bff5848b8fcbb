import { sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { prepared } from "../db/prepared";
import { decideTick } from "../domain/rollout-clock";
import { waveRanges } from "../domain/waves";
import { countsByWave } from "./queue-counts";
import { clockOf } from "./release-model";
import { casesByWave, outcomesOf } from "./rollout";

// After every committed batch of reports the rules of its release are
// evaluated, and the report's answer waits for that. Most batches change
// nothing a rule acts on, and a locked tick (transaction, row lock, the full
// release view, counts, commit) was a third of the cost of a single report
// under load. So the same pure clock first judges the same inputs read without
// a transaction: two prepared reads. Only when it would decide something does
// the locked tick run, and it re-reads everything under the lock before acting.

// Only what the clock decides on: the release's clock columns and its waves, one prepared statement.
const releaseClockQuery = (db: DbOrTx) =>
  db.query.releases
    .findFirst({
      columns: { id: true, state: true, queueSize: true, offeredThrough: true, clockStartedAt: true, offeredAtClockStart: true, pausedAt: true },
      where: (release, { eq }) => eq(release.version, sql.placeholder("version")),
      with: { waves: { orderBy: (wave, { asc }) => [asc(wave.index)] } },
    })
    .prepare("release_clock");

/**
 * Whether a tick of the release would decide anything at `now` (stop, advance,
 * offer, complete). The reads are not one snapshot; that is safe because every
 * "yes" is judged again under the lock, and a "no" read after a commit sees
 * that commit's counts. A change that lands after these reads is evaluated
 * after its own commit, and the clock's beat evaluates everything anyway.
 */
export async function tickIsDue(db: DbOrTx, version: string, now: Date): Promise<boolean> {
  const release = await prepared(db, "release_clock", releaseClockQuery).execute({ version });
  if (release?.state !== "rolling_out") return false;
  const ranges = waveRanges(release.waves.map((w) => w.share), release.queueSize);
  const [counts, cases] = await Promise.all([countsByWave(db, release.id, ranges), casesByWave(db, release)]);
  return decideTick(clockOf(release, release.waves), outcomesOf(counts, cases), now).decisions.length > 0;
}

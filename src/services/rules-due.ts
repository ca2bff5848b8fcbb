import { sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { prepared } from "../db/prepared";
import { type StopRule, decideTick } from "../domain/rollout-clock";
import { type WaveRange, waveRanges } from "../domain/waves";
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

/** What a release's counts were read by last time: its id, its wave ranges, and its waves' stop rules (whether cases count). */
type Seen = { id: number; ranges: WaveRange[]; waves: { stopAt: StopRule | null }[] };
const seenReleases = new WeakMap<object, Map<string, Seen>>();

const sameRanges = (a: WaveRange[], b: WaveRange[]) => a.length === b.length && a.every((r, i) => r.from === b[i]?.from && r.to === b[i]?.to);
const countsCases = (waves: Seen["waves"]) => waves.some((w) => w.stopAt?.maxCasesPerThousand !== undefined);
// A read started only in case its release read confirms it: when it does not, nobody awaits it.
const ignored = <T>(read: Promise<T>) => void read.catch(() => undefined);

/**
 * Whether a tick of the release would decide anything at `now` (stop, advance,
 * offer, complete). The reads are not one snapshot; that is safe because every
 * "yes" is judged again under the lock, and a "no" read after a commit sees
 * that commit's counts. A change that lands after these reads is evaluated
 * after its own commit, and the clock's beat evaluates everything anyway.
 *
 * The counts depend on the release (its wave ranges), which almost never
 * changes between two judgements: they are read alongside the release by the
 * ranges it had last time, both after the caller's commit, so a judgement
 * waits for one round trip instead of two (a single report waited ~9 ms of
 * its ~36 ms for the two). When the release read shows other ranges, the
 * counts are read again by those.
 */
export async function tickIsDue(db: DbOrTx, version: string, now: Date): Promise<boolean> {
  let forDb = seenReleases.get(db);
  if (!forDb) seenReleases.set(db, (forDb = new Map<string, Seen>()));
  const seen = forDb.get(version);
  const releaseRead = prepared(db, "release_clock", releaseClockQuery).execute({ version });
  const early = seen ? { counts: countsByWave(db, seen.id, seen.ranges), cases: casesByWave(db, seen) } : null;
  if (early) {
    ignored(early.counts);
    ignored(early.cases);
  }
  const release = await releaseRead;
  if (release?.state !== "rolling_out") {
    forDb.delete(version);
    return false;
  }
  const ranges = waveRanges(release.waves.map((w) => w.share), release.queueSize);
  forDb.set(version, { id: release.id, ranges, waves: release.waves });
  const readEarly = early && seen?.id === release.id && countsCases(seen.waves) === countsCases(release.waves) && sameRanges(seen.ranges, ranges);
  const [counts, cases] = readEarly ? [await early.counts, await early.cases] : await Promise.all([countsByWave(db, release.id, ranges), casesByWave(db, release)]);
  return decideTick(clockOf(release, release.waves), outcomesOf(counts, cases), now).decisions.length > 0;
}

import type { Db } from "../db/client";
import { tickAfterReports } from "./clock-tick";
import { tickIsDue } from "./rules-due";
import { type Report, type ReportResult, recordReports } from "./reports";

/** Reports of one request, waiting to be written. */
type Waiting = { reports: Report[]; now: Date; resolve: (results: ReportResult[]) => void; reject: (error: unknown) => void };

/** Requests waiting, and the lanes free to write them (each lane writes its own counter stripe). */
type Batcher = { waiting: Waiting[]; free: number[] };
/** The tick of a release under way, and the one queued after it. */
type Ticker = { current: Promise<void> | null; next: Promise<void> | null };

/** Transactions of reports in flight per database at once; the rest wait and go together. */
export const reportLanes = 4;
// Counter stripes are 1-8; instances start at a random one so that two of them
// rarely give their lanes the same stripes (sharing one only means waiting).
const firstStripe = Math.floor(Math.random() * 8);
const laneStripes = () => Array.from({ length: reportLanes }, (_, lane) => 1 + ((firstStripe + lane) % 8));
/** A combined transaction holds at most this many reports (a gateway's full batch). */
const maxCombined = 1000;

const batchers = new WeakMap<object, Batcher>();
const tickers = new WeakMap<object, Map<string, Ticker>>();

/**
 * Group commit: every report request pays a transaction and its commit, and
 * under load most of that is waiting on the disk. Requests that arrive while
 * `reportLanes` transactions are in flight wait here and are written together
 * in the next one (up to 1,000 reports), so 50 concurrent single reports cost
 * a few commits instead of 50. Nothing waits for company when a lane is free.
 * Each request is answered only after its transaction commits and the rules
 * of its releases have been evaluated. Items were judged before they came
 * here, so a combined transaction fails only for a database reason; it is then
 * retried one request at a time, so a request fails only for its own.
 */
export function recordReportsTogether(db: Db, reports: Report[], now: Date): Promise<ReportResult[]> {
  let batcher = batchers.get(db);
  if (!batcher) batchers.set(db, (batcher = { waiting: [], free: laneStripes() }));
  const lane = batcher;
  return new Promise<ReportResult[]>((resolve, reject) => {
    lane.waiting.push({ reports, now, resolve, reject });
    drain(db, lane);
  });
}

function drain(db: Db, lane: Batcher) {
  for (let stripe = lane.free.pop(); stripe !== undefined; stripe = lane.free.pop()) {
    const taken: Waiting[] = [];
    let size = 0;
    for (let next = lane.waiting[0]; next && (taken.length === 0 || size + next.reports.length <= maxCombined); next = lane.waiting[0]) {
      taken.push(next);
      size += next.reports.length;
      lane.waiting.shift();
    }
    if (taken.length === 0) {
      lane.free.push(stripe);
      return;
    }
    const own = stripe;
    void write(db, taken, own).finally(() => {
      lane.free.push(own);
      drain(db, lane);
    });
  }
}

/** Writes the requests in one transaction; the lane is free again once it has committed. */
async function write(db: Db, taken: Waiting[], stripe: number): Promise<void> {
  const now = new Date(Math.max(...taken.map((w) => w.now.getTime())));
  let results: ReportResult[];
  try {
    ({ results } = await recordReports({ db, reports: taken.flatMap((w) => w.reports), now, stripe }));
  } catch (error) {
    if (taken.length === 1) return taken[0]?.reject(error);
    // Nothing of the combined transaction was committed: each request alone now.
    for (const waiting of taken) await write(db, [waiting], stripe);
    return;
  }
  void answer(db, taken, results, now);
}

/** Answers each request with its own results once the rules of its releases have been evaluated. */
async function answer(db: Db, taken: Waiting[], results: ReportResult[], now: Date) {
  const versions = new Set(taken.flatMap((w) => w.reports.map((r) => r.version)));
  await Promise.all([...versions].map((version) => evaluateRules(db, version, now)));
  let from = 0;
  for (const waiting of taken) {
    waiting.resolve(results.slice(from, from + waiting.reports.length));
    from += waiting.reports.length;
  }
}

/**
 * The rules of a release just reported on, evaluated after the commit. Most
 * commits make nothing due; judging that is read-only and lock-free
 * (services/rules-due.ts), so each commit judges at once, on reads that start
 * after it and so see it, instead of queueing behind other commits' ticks.
 * A judgement that fails counts as "due": the tick in turn decides.
 */
async function evaluateRules(db: Db, version: string, now: Date): Promise<void> {
  if (await tickIsDue(db, version, now).catch(() => true)) await tickInTurn(db, version, now);
}

/**
 * A tick after reports reads every wave's counts, so concurrent writers share
 * ticks: one runs per release and database at a time, and whoever commits
 * meanwhile waits for the single next one, which starts after their commit and
 * so sees it. The reports are committed whatever happens here: a tick that
 * fails is left to the clock's next beat, which evaluates the same rules, and
 * the request still gets its answer (its reports are stored).
 */
function tickInTurn(db: Db, version: string, now: Date): Promise<void> {
  let forDb = tickers.get(db);
  if (!forDb) tickers.set(db, (forDb = new Map<string, Ticker>()));
  let ticker = forDb.get(version);
  if (!ticker) forDb.set(version, (ticker = { current: null, next: null }));
  const state = ticker;
  if (state.next) return state.next;
  const run = (): Promise<void> => {
    const tick: Promise<void> = tickAfterReports({ db, versions: [version], now })
      .catch(() => undefined)
      .finally(() => {
        if (state.current === tick) state.current = null;
      });
    state.current = tick;
    return tick;
  };
  if (!state.current) return run();
  // The tick under way may have read the counts before this commit.
  state.next = state.current.then(() => {
    state.next = null;
    return run();
  });
  return state.next;
}

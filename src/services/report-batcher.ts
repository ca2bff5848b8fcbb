import type { Db } from "../db/client";
import { tickAfterReports } from "./clock-tick";
import { tickIsDue } from "./rules-due";
import { type Report, type ReportResult, recordReports } from "./reports";

/** Reports of one request, waiting to be written. */
type Waiting = { reports: Report[]; now: Date; resolve: (results: ReportResult[]) => void; reject: (error: unknown) => void };

/** Requests waiting with their number of reports, and the lanes free to write them (each lane writes its own counter stripe). */
type Batcher = { waiting: Waiting[]; reports: number; free: number[] };
/** A run (judgement or tick) of a release under way, and the one queued after it with the latest clock of those waiting for it. */
type Turn = { current: Promise<void> | null; next: { now: Date; done: Promise<void> } | null };

/** Transactions of reports in flight per database at once; the rest wait and go together. */
export const reportLanes = 4;
// Counter stripes are 1-8; instances start at a random one so that two of them
// rarely give their lanes the same stripes (sharing one only means waiting).
const firstStripe = Math.floor(Math.random() * 8);
const laneStripes = () => Array.from({ length: reportLanes }, (_, lane) => 1 + ((firstStripe + lane) % 8));
/** A combined transaction holds at most this many reports (a gateway's full batch). */
const maxCombined = 1000;
/**
 * Reports worth a transaction of their own beside one already in flight.
 * A few dozen single reports wait for the write in flight and go together in
 * the next (measured with 50 connections: ~24 a transaction and 0.28 ms of
 * Postgres CPU per report, against ~7 and 0.8 ms when each free lane started
 * at once), while gateway batches (hundreds each) still write side by side.
 */
const worthItsOwnLane = 100;

const batchers = new WeakMap<object, Batcher>();
const judges = new WeakMap<object, Map<string, Turn>>();
const tickers = new WeakMap<object, Map<string, Turn>>();

/**
 * Group commit: a transaction costs the same whether it carries one report or
 * dozens (on the 100k bench database ~3 ms of Postgres CPU, a commit and a
 * ~0.8 ms rules judgement, against ~0.07 ms per report). Requests that arrive while
 * a transaction is in flight wait here and are written together in the next
 * one (up to 1,000 reports), so 50 concurrent single reports cost a couple of
 * commits instead of 50; a second transaction starts beside the first only
 * for a group worth it (`worthItsOwnLane`), up to `reportLanes` at once.
 * Nothing waits for company when nothing is in flight.
 * Each request is answered only after its transaction commits and the rules
 * of its releases have been evaluated. Items were judged before they came
 * here, so a combined transaction fails only for a database reason; it is then
 * retried one request at a time, so a request fails only for its own.
 */
export function recordReportsTogether(db: Db, reports: Report[], now: Date): Promise<ReportResult[]> {
  let batcher = batchers.get(db);
  if (!batcher) batchers.set(db, (batcher = { waiting: [], reports: 0, free: laneStripes() }));
  const lane = batcher;
  return new Promise<ReportResult[]>((resolve, reject) => {
    lane.waiting.push({ reports, now, resolve, reject });
    lane.reports += reports.length;
    drain(db, lane);
  });
}

/** Starts transactions on free lanes: the first whenever anything waits, more only for groups worth their own. */
function drain(db: Db, lane: Batcher) {
  while (lane.waiting.length > 0 && (lane.free.length === reportLanes || lane.reports >= worthItsOwnLane)) {
    const own = lane.free.pop();
    if (own === undefined) return;
    const taken: Waiting[] = [];
    let size = 0;
    for (let next = lane.waiting[0]; next && (taken.length === 0 || size + next.reports.length <= maxCombined); next = lane.waiting[0]) {
      taken.push(next);
      size += next.reports.length;
      lane.waiting.shift();
    }
    lane.reports -= size;
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
 * (services/rules-due.ts), and any judgement that starts after a commit sees
 * it. So commits share judgements: one runs per release and database at a
 * time, and every commit that lands meanwhile waits for the single next one
 * (two reads, whatever the number of commits), instead of each commit paying
 * its own two reads beside the others. A judgement that fails counts as
 * "due": the tick in turn decides.
 */
function evaluateRules(db: Db, version: string, now: Date): Promise<void> {
  return inTurn(judges, db, version, now, async (latest) => {
    if (await tickIsDue(db, version, latest).catch(() => true)) await inTurn(tickers, db, version, latest, tickOf(db, version));
  });
}

/**
 * A tick after reports reads every wave's counts, so concurrent writers share
 * ticks the same way. The reports are committed whatever happens here: a tick
 * that fails is left to the clock's next beat, which evaluates the same rules,
 * and the request still gets its answer (its reports are stored).
 */
const tickOf = (db: Db, version: string) => (now: Date) => tickAfterReports({ db, versions: [version], now }).then(() => undefined);

/**
 * Runs `work` for a release so that it starts after this call: if none is
 * under way, now; otherwise as the single next run, which everyone arriving
 * meanwhile shares (the run under way may have read before their commit), at
 * the latest of their clocks. Never rejects: a run that fails has done what
 * it could, and its callers' reports are committed either way.
 */
function inTurn(runs: WeakMap<object, Map<string, Turn>>, db: Db, version: string, now: Date, work: (now: Date) => Promise<void>): Promise<void> {
  let forDb = runs.get(db);
  if (!forDb) runs.set(db, (forDb = new Map<string, Turn>()));
  let turn = forDb.get(version);
  if (!turn) forDb.set(version, (turn = { current: null, next: null }));
  const state = turn;
  if (state.next) {
    if (now > state.next.now) state.next.now = now;
    return state.next.done;
  }
  const run = (at: Date): Promise<void> => {
    const current: Promise<void> = work(at)
      .catch(() => undefined)
      .finally(() => {
        if (state.current === current) state.current = null;
      });
    state.current = current;
    return current;
  };
  if (!state.current) return run(now);
  const next: { now: Date; done: Promise<void> } = { now, done: Promise.resolve() };
  next.done = state.current.then(() => {
    state.next = null;
    return run(next.now);
  });
  state.next = next;
  return next.done;
}

import { type Db, poolConnections } from "../db/client";
import { type ImportBatch, type ImportLineResult, type ImportRow, landBatch } from "./import-batch";
import type { VehicleInput } from "./vehicles";

export type { ImportLineResult };

export type ImportSummary = {
  lines: number;
  created: number;
  updated: number;
  rejected: number;
  /** True when every line was answered and every valid one committed. */
  committed: boolean;
  /** When not: lines up to this one were committed (and stay), later ones were not applied. */
  committedThroughLine?: number;
  detail?: string;
};

/** The import stopped part way (database outage, client gone); `summary` counts what committed. */
export class ImportInterrupted extends Error {
  constructor(
    readonly summary: ImportSummary,
    override readonly cause: unknown,
  ) {
    super(`import interrupted after line ${summary.committedThroughLine}`, { cause });
  }
}

/**
 * Rows per batch, and so per transaction. On PGlite a batch holds the only
 * connection (and, while PGlite computes, the event loop): 1,000 rows hold it
 * for about 80 ms on a busy machine, 5,000 for about 400 ms; larger batches
 * gain little (Postgres, 300k lines in 3 interleaved pairs: the same server
 * and backend CPU at 5,000, and ~35 MB more RSS).
 */
export const defaultImportBatchSize = 1000;

/**
 * Batches in flight at once: two where the pool has connections to spare, so
 * one batch's upsert runs while the one before finishes (late joiners, audit,
 * commit) and is answered; one on PGlite and in a transaction (one connection),
 * where a second would only queue behind the first and hold up other requests.
 */
export function importBatchesInFlight(db: Db): number {
  return poolConnections(db) > 2 ? 2 : 1;
}

type InFlight = { vins: ReadonlySet<string>; answered: Promise<void> };

/**
 * Applies a stream of NDJSON lines a batch at a time, each batch in a
 * transaction of its own, committed in line order (see landBatch). A batch's
 * results are emitted only after it committed, so an answered line is never
 * lost; bad lines are reported and skipped. No transaction is open while the
 * body is read or the client is written to, so a slow client never holds the database.
 */
export async function importVehicles({
  db,
  lines,
  parseLine,
  actor,
  at,
  emit,
  batchSize = defaultImportBatchSize,
  inFlight = importBatchesInFlight(db),
}: {
  db: Db;
  /** The body's lines, a chunk of them at a time (see readLines). */
  lines: AsyncIterable<readonly string[]>;
  parseLine: (line: string) => { ok: true; row: VehicleInput & { vin: string } } | { ok: false; detail: string };
  actor: string;
  at: Date;
  /** Receives the results of committed lines, in line order, a batch at a time. */
  emit: (results: ImportLineResult[]) => Promise<void>;
  batchSize?: number;
  inFlight?: number;
}): Promise<ImportSummary> {
  const summary: ImportSummary = { lines: 0, created: 0, updated: 0, rejected: 0, committed: false };
  let read = 0;
  let batch = new Map<string, ImportRow>();
  let rejections: ImportLineResult[] = [];
  // Oldest first. A batch's turn to commit is the commit of the one before it; its
  // answer waits for the answer before it, so results go out in line order.
  const landing: InFlight[] = [];
  let lastCommit: Promise<void> = Promise.resolve();
  let lastAnswer: Promise<void> = Promise.resolve();
  let failed: { error: unknown } | undefined;

  const dispatch = (next: ImportBatch) => {
    const committed = landBatch({ db, batch: next, actor, at, turn: lastCommit }).then((results) => {
      // Committed: from here on these lines count, whether or not the client gets to read them.
      for (const r of results) summary[r.result === "created" ? "created" : "updated"]++;
      summary.rejected += next.rejections.length;
      summary.lines = next.throughLine;
      return results;
    });
    const answerBefore = lastAnswer;
    const answered = committed.then(async (results) => {
      await answerBefore;
      const all = [...next.rejections, ...results].sort((a, b) => a.line - b.line);
      if (all.length) await emit(all);
    });
    lastCommit = committed.then(() => {});
    lastAnswer = answered;
    // Awaited below; these keep a failure from counting as unhandled meanwhile, and stop new batches.
    lastCommit.catch(() => {});
    answered.catch((error: unknown) => void (failed ??= { error }));
    landing.push({ vins: new Set(next.rows.map((r) => r.vin)), answered });
  };

  let dispatchedThrough = 0;
  const flush = async () => {
    const rows = [...batch.values()];
    const next: ImportBatch = { rows, rejections, fromLine: dispatchedThrough + 1, throughLine: read };
    dispatchedThrough = read;
    batch = new Map();
    rejections = [];
    // A free slot, and no VIN in common with a batch still landing: batches in
    // flight together must never wait on each other's rows.
    let shared = -1;
    landing.forEach((b, i) => {
      if (rows.some((r) => b.vins.has(r.vin))) shared = i;
    });
    for (let wait = Math.max(landing.length - inFlight + 1, shared + 1); wait > 0; wait--) await landing.shift()?.answered;
    if (failed) throw failed.error;
    dispatch(next);
  };

  try {
    for await (const chunk of lines) {
      for (const text of chunk) {
        const line = read + 1;
        if (text.trim() !== "") {
          const parsed = parseLine(text);
          if (!parsed.ok) rejections.push({ line, result: "rejected", detail: parsed.detail });
          else {
            // A VIN twice in one batch would be one row updated twice by one statement:
            // land the first before taking the second, as if applied line by line.
            if (batch.has(parsed.row.vin)) await flush();
            batch.set(parsed.row.vin, { ...parsed.row, line });
          }
        }
        read = line;
        // Rejections count too: a long run of bad lines is answered as it goes, not held in memory.
        if (batch.size + rejections.length >= batchSize) await flush();
      }
    }
    await flush();
    await lastAnswer;
  } catch (error) {
    // Nothing may commit after the summary is written: every batch under way settles first
    // (the ones after a failed batch roll back, as their turn never comes).
    await Promise.allSettled(landing.map((b) => b.answered));
    throw new ImportInterrupted({ ...summary, committedThroughLine: summary.lines }, error);
  }
  summary.committed = true;
  return summary;
}

import type { Db } from "../db/client";
import { recordAudit } from "./audit-write";
import { type ImportLineResult, type ImportRow, isRace, upsertBatch } from "./import-upsert";
import { enqueueLateJoiners } from "./queue";

export type { ImportLineResult, ImportRow };
export type ImportBatch = { rows: ImportRow[]; rejections: ImportLineResult[]; fromLine: number; throughLine: number };

/**
 * How long a batch that is ready to commit waits for the batch before it
 * before it rolls back and tries again once that one has committed. Holding
 * its rows while waiting outside the database could close a cycle Postgres
 * cannot see (the batch before waits on a third transaction that waits on
 * this batch's rows); a batch normally lands in tens of milliseconds.
 */
export const giveWayAfterMs = 1000;

/** The batch before this one is slow to commit: this one lets go of its rows and waits its turn outside a transaction. */
class GiveWay extends Error {}

const giveWayAfter = (turn: Promise<void>, ms: number) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new GiveWay()), ms);
    turn.then(resolve, reject).finally(() => clearTimeout(timer));
  });

/**
 * Lands one batch in a transaction of its own that commits only after `turn`
 * (the commit of the batch before it) resolved, and rolls back if `turn`
 * rejects: batches commit in line order, so what committed is always a prefix
 * of the file. The upsert runs before the turn comes, overlapping the batch
 * before; the late joiners lock releases, so they wait for the turn (batches
 * in flight together never lock rows the other one needs: their VINs differ).
 */
export async function landBatch({ db, batch, actor, at, turn, giveWayMs = giveWayAfterMs }: {
  db: Db;
  batch: ImportBatch;
  actor: string;
  at: Date;
  turn: Promise<void>;
  giveWayMs?: number;
}): Promise<ImportLineResult[]> {
  const { rows, rejections, fromLine, throughLine } = batch;
  if (!rows.length) {
    await turn;
    return [];
  }
  let retried = false;
  let races = 0;
  for (;;) {
    try {
      return await db.transaction(async (tx) => {
        const { results, upserted } = await upsertBatch(tx, rows, at);
        await (retried ? turn : giveWayAfter(turn, giveWayMs));
        await enqueueLateJoiners(tx, upserted, at);
        const created = results.filter((r) => r.result === "created").length;
        const counts = { fromLine, throughLine, created, updated: results.length - created, rejected: rejections.length };
        await recordAudit(tx, { actor, action: "vehicles.imported", at, after: counts });
        return results;
      });
    } catch (error) {
      // A race with a PUT of one of its VINs is rare and gone on the next try (three at most).
      if (!(error instanceof GiveWay || (isRace(error) && races++ < 3))) throw error;
      // Rolled back, nothing was answered: once the batch before committed, this one runs again.
      await turn;
      retried = true;
    }
  }
}

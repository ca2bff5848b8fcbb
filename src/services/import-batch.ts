import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "../db/client";
import { rowsOf } from "../db/rows";
import { textArray } from "../db/text-array";
import { newSecrets, secretPrefixes } from "../lib/secrets";
import { recordAudit } from "./audit-write";
import { enqueueLateJoiners } from "./queue";
import type { VehicleInput } from "./vehicles";

export type ImportLineResult =
  | { line: number; vin: string; result: "created"; ownerCode: string; deviceToken: string }
  | { line: number; vin: string; result: "updated" }
  | { line: number; result: "rejected"; detail: string };

export type ImportRow = VehicleInput & { vin: string; line: number };
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
      if (!(error instanceof GiveWay)) throw error;
      // Rolled back, nothing was answered: once the batch before committed, this one runs again.
      await turn;
      retried = true;
    }
  }
}

const upsertedRow = z.object({ id: z.coerce.number(), vin: z.string(), created: z.boolean() });

async function upsertBatch(tx: Tx, rows: ImportRow[], at: Date) {
  const ownerCodes = newSecrets(rows.length, secretPrefixes.ownerCode);
  const deviceTokens = newSecrets(rows.length, secretPrefixes.deviceToken);
  const input = rows.map((row, i) => {
    const [owner_code, device_token] = [ownerCodes[i], deviceTokens[i]];
    if (owner_code === undefined || device_token === undefined) throw new Error("one owner code and device token per row");
    return { ...row, owner_code, device_token };
  });
  // One statement per batch (the columns as arrays: see textArray): upsert, history of firmware changes, and which rows were new
  // (xmax = 0 only for freshly inserted tuples). Codes are hashed by the database (sha256)
  // because hashing two per vehicle in JS would dominate a million-row import.
  const column = (name: keyof (typeof input)[number]) => sql`${textArray(input.map((row) => String(row[name])))}::text[]`;
  const result = await tx.execute(sql`
    with input as (
      select * from unnest(${column("vin")}, ${column("model")}, ${column("hardware")}, ${column("region")}, ${column("channel")},
                           ${column("cohort")}, ${column("firmware")}, ${column("owner_code")}, ${column("device_token")})
        as t(vin, model, hardware, region, channel, cohort, firmware, owner_code, device_token)
    ),
    previous as (
      select v.id, v.firmware from vehicles v join input i on i.vin = v.vin
    ),
    upserted as (
      insert into vehicles (vin, model, hardware, region, channel, cohort, firmware,
                            owner_code_hash, device_token_hash, created_at, updated_at)
      select vin, model, hardware, region, channel::channel, cohort::cohort, firmware,
             encode(sha256(convert_to(owner_code, 'UTF8')), 'hex'),
             encode(sha256(convert_to(device_token, 'UTF8')), 'hex'),
             ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz
      from input
      on conflict (vin) do update set
        model = excluded.model, hardware = excluded.hardware, region = excluded.region,
        channel = excluded.channel, cohort = excluded.cohort, firmware = excluded.firmware,
        updated_at = excluded.updated_at
      returning id, vin, firmware, (xmax = 0) as created
    ),
    history as (
      insert into firmware_changes (vehicle_id, from_firmware, to_firmware, source, at)
      select u.id, p.firmware, u.firmware, 'import', ${at.toISOString()}::timestamptz
      from upserted u join previous p on p.id = u.id
      where p.firmware <> u.firmware
    )
    select id, vin, created from upserted`);
  const stored = z.array(upsertedRow).parse(rowsOf(result));
  // Each upserted car is exactly its input row now (every field is set), so
  // the rules can tell from it which queues it may join.
  const rowByVin = new Map(rows.map((row) => [row.vin, row]));
  const upserted = stored.flatMap((r) => {
    const row = rowByVin.get(r.vin);
    return row ? [{ id: r.id, ...row }] : [];
  });
  const createdByVin = new Map(stored.map((r) => [r.vin, r.created]));
  const results = input.map((row): ImportLineResult =>
    createdByVin.get(row.vin)
      ? { line: row.line, vin: row.vin, result: "created", ownerCode: row.owner_code, deviceToken: row.device_token }
      : { line: row.line, vin: row.vin, result: "updated" },
  );
  return { results, upserted };
}

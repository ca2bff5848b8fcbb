import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "../db/client";
import { newSecrets, secretPrefixes } from "../lib/secrets";
import { rowsOf } from "../db/rows";
import { textArray } from "../db/text-array";
import { recordAudit } from "./audit-write";
import { enqueueLateJoiners } from "./queue";
import type { VehicleInput } from "./vehicles";

export type ImportLineResult =
  | { line: number; vin: string; result: "created"; ownerCode: string; deviceToken: string }
  | { line: number; vin: string; result: "updated" }
  | { line: number; result: "rejected"; detail: string };

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

type Row = VehicleInput & { vin: string; line: number };
type Batch = { rows: Row[]; rejections: ImportLineResult[]; fromLine: number; throughLine: number };

/**
 * Rows per batch, and so per transaction. On PGlite a batch holds the only
 * connection (and, while PGlite computes, the event loop): 1,000 rows hold it
 * for about 80 ms on a busy machine, 5,000 for about 400 ms; larger batches
 * gain little (Postgres: about 10% more rows per second at 5,000).
 */
export const defaultImportBatchSize = 1000;

/**
 * Applies a stream of NDJSON lines a batch at a time, each batch in a
 * transaction of its own. A batch's results are emitted only after it
 * committed, so an answered line is never lost; bad lines are reported and
 * skipped. No transaction is open while the body is read or the client is
 * written to, so a slow client never holds the database.
 */
export async function importVehicles({
  db,
  lines,
  parseLine,
  actor,
  at,
  emit,
  batchSize = defaultImportBatchSize,
}: {
  db: Db;
  lines: AsyncIterable<string>;
  parseLine: (line: string) => { ok: true; row: VehicleInput & { vin: string } } | { ok: false; detail: string };
  actor: string;
  at: Date;
  /** Receives the results of committed lines, in line order, a batch at a time. */
  emit: (results: ImportLineResult[]) => Promise<void>;
  batchSize?: number;
}): Promise<ImportSummary> {
  const summary: ImportSummary = { lines: 0, created: 0, updated: 0, rejected: 0, committed: false };
  let read = 0;
  let batch = new Map<string, Row>();
  let rejections: ImportLineResult[] = [];

  const land = async ({ rows, rejections, fromLine, throughLine }: Batch) => {
    const results = rows.length
      ? await db.transaction(async (tx) => {
          const results = await upsertBatch(tx, rows, at);
          const created = results.filter((r) => r.result === "created").length;
          const counts = { fromLine, throughLine, created, updated: results.length - created, rejected: rejections.length };
          await recordAudit(tx, { actor, action: "vehicles.imported", at, after: counts });
          return results;
        })
      : [];
    // Committed: from here on these lines count, whether or not the client gets to read them.
    for (const r of results) summary[r.result === "created" ? "created" : "updated"]++;
    summary.rejected += rejections.length;
    summary.lines = throughLine;
    const all = [...rejections, ...results].sort((a, b) => a.line - b.line);
    if (all.length) await emit(all);
  };

  // One batch lands (and its results go out) while the next one is read and
  // parsed; the next starts only once the previous one is answered, so a
  // failure stops the import right after the last answered line.
  let landing: Promise<void> = Promise.resolve();
  const flush = async () => {
    const next = { rows: [...batch.values()], rejections, throughLine: read };
    batch = new Map();
    rejections = [];
    await landing;
    landing = land({ ...next, fromLine: summary.lines + 1 });
    // Awaited by the next flush; this only keeps a failure from counting as unhandled meanwhile.
    landing.catch(() => {});
  };

  try {
    for await (const text of lines) {
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
    await flush();
    await landing;
  } catch (error) {
    await landing.catch(() => {});
    throw new ImportInterrupted({ ...summary, committedThroughLine: summary.lines }, error);
  }
  summary.committed = true;
  return summary;
}

const upsertedRow = z.object({ id: z.coerce.number(), vin: z.string(), created: z.boolean() });

async function upsertBatch(tx: Tx, rows: Row[], at: Date): Promise<ImportLineResult[]> {
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
  const upserted = z.array(upsertedRow).parse(rowsOf(result));
  // Each upserted car is exactly its input row now (every field is set), so
  // the rules can tell from it which queues it may join.
  const rowByVin = new Map(rows.map((row) => [row.vin, row]));
  await enqueueLateJoiners(
    tx,
    upserted.flatMap((r) => {
      const row = rowByVin.get(r.vin);
      return row ? [{ id: r.id, ...row }] : [];
    }),
    at,
  );
  const createdByVin = new Map(upserted.map((r) => [r.vin, r.created]));
  return input.map((row) =>
    createdByVin.get(row.vin)
      ? { line: row.line, vin: row.vin, result: "created", ownerCode: row.owner_code, deviceToken: row.device_token }
      : { line: row.line, vin: row.vin, result: "updated" },
  );
}

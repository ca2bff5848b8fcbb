import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "../db/client";
import { newSecrets, secretPrefixes } from "../lib/secrets";
import { rowsOf } from "../db/rows";
import { recordAudit } from "./audit";
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
  committed: boolean;
  detail?: string;
};

type Row = VehicleInput & { vin: string; line: number };

/** Rows per statement: large enough to be set-based, small enough to stream results back steadily. */
const batchSize = 5000;

/**
 * Applies a stream of NDJSON lines in one transaction, a batch of rows per
 * statement, yielding a result for every line as it lands. Bad lines are
 * reported and skipped; the valid ones commit together or not at all.
 */
export async function importVehicles({
  db,
  lines,
  parseLine,
  actor,
  at,
  emit,
}: {
  db: Db;
  lines: AsyncIterable<string>;
  parseLine: (line: string) => { ok: true; row: VehicleInput & { vin: string } } | { ok: false; detail: string };
  actor: string;
  at: Date;
  /** Receives the results of the lines so far, in line order, a batch at a time. */
  emit: (results: ImportLineResult[]) => Promise<void>;
}): Promise<ImportSummary> {
  const summary: ImportSummary = { lines: 0, created: 0, updated: 0, rejected: 0, committed: false };
  await db.transaction(async (tx) => {
    let batch = new Map<string, Row>();
    // One batch is written while the next one is parsed: the database and
    // JavaScript work side by side, and results still leave in line order.
    let inFlight: Promise<void> = Promise.resolve();
    let pendingRejections: ImportLineResult[] = [];
    const flush = async () => {
      const rows = [...batch.values()];
      const rejected = pendingRejections;
      batch = new Map();
      pendingRejections = [];
      await inFlight;
      inFlight = (async () => {
        const results = rows.length ? await upsertBatch(tx, rows, at) : [];
        for (const r of results) summary[r.result === "created" ? "created" : "updated"]++;
        const all = [...rejected, ...results].sort((a, b) => a.line - b.line);
        if (all.length) await emit(all);
      })();
      // Awaited by the next flush; this only keeps a failure from counting as unhandled meanwhile.
      inFlight.catch(() => {});
    };
    for await (const text of lines) {
      const line = ++summary.lines;
      if (text.trim() === "") continue;
      const parsed = parseLine(text);
      if (!parsed.ok) {
        summary.rejected++;
        pendingRejections.push({ line, result: "rejected", detail: parsed.detail });
        continue;
      }
      // A VIN twice in one batch would be one row updated twice by one statement:
      // land the first before taking the second, as if applied line by line.
      if (batch.has(parsed.row.vin)) await flush();
      batch.set(parsed.row.vin, { ...parsed.row, line });
      if (batch.size >= batchSize) await flush();
    }
    await flush();
    await inFlight;
    await recordAudit(tx, { actor, action: "vehicles.imported", at, after: { ...summary, committed: true } });
  });
  summary.committed = true;
  return summary;
}

const upsertedRow = z.object({ id: z.coerce.number(), vin: z.string(), created: z.boolean() });

async function upsertBatch(tx: Tx, rows: Row[], at: Date): Promise<ImportLineResult[]> {
  const ownerCodes = newSecrets(rows.length, secretPrefixes.ownerCode);
  const deviceTokens = newSecrets(rows.length, secretPrefixes.deviceToken);
  const input = rows.map((row, i) => ({ ...row, owner_code: ownerCodes[i], device_token: deviceTokens[i] }));
  // One statement per batch: upsert, history of firmware changes, and which rows were new
  // (xmax = 0 only for freshly inserted tuples). Codes are hashed by the database (sha256)
  // because hashing two per vehicle in JS would dominate a million-row import.
  const result = await tx.execute(sql`
    with input as (
      select * from json_to_recordset(${JSON.stringify(input)}::json) as t(
        vin text, model text, hardware text, region text, channel text, cohort text,
        firmware text, owner_code text, device_token text)
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
  await enqueueLateJoiners(tx, upserted.map((r) => r.id), at);
  const createdByVin = new Map(upserted.map((r) => [r.vin, r.created]));
  return rows.map((row, i) =>
    createdByVin.get(row.vin)
      ? { line: row.line, vin: row.vin, result: "created", ownerCode: ownerCodes[i]!, deviceToken: deviceTokens[i]! }
      : { line: row.line, vin: row.vin, result: "updated" },
  );
}

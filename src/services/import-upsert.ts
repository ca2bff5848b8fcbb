import { sql } from "drizzle-orm";
import type { Tx } from "../db/client";
import { rowsOf } from "../db/rows";
import { textArray } from "../db/text-array";
import { violatedConstraint } from "../lib/db-errors";
import { newSecrets, secretPrefixes, sha256Hex } from "../lib/secrets";
import type { VehicleInput } from "./vehicles";

export type ImportLineResult =
  | { line: number; vin: string; result: "created"; ownerCode: string; deviceToken: string }
  | { line: number; vin: string; result: "updated" }
  | { line: number; result: "rejected"; detail: string };

export type ImportRow = VehicleInput & { vin: string; line: number };

/**
 * Someone else created or deleted one of the batch's vehicles between the
 * statement's look-up by VIN and its write (a PUT of the same VIN): the
 * transaction rolls back and the batch runs again, finding it as it is now.
 */
export class BatchRaced extends Error {}

/** The batch's insert met a VIN another transaction had just created (see BatchRaced). */
export const isRace = (error: unknown) => error instanceof BatchRaced || violatedConstraint(error) === "vehicles_vin_key";

type Stored = { id: number | string; vin: string; created: boolean };

/**
 * One statement per batch (the columns as arrays: see textArray): existing
 * vehicles are found by VIN and updated (with the history of firmware
 * changes), the others inserted. Two plain writes instead of one
 * `insert … on conflict do update`: its speculative insertion cost a fifth of
 * the statement's CPU (1,000 new rows: ~17 against ~13 ms of backend CPU),
 * paid for every new car to guard against a race that BatchRaced covers.
 * Codes are hashed here (node:crypto's one-shot SHA-256, ~0.4 µs a code)
 * rather than by the database's sha256(), which cost ~3.5 ms per 1,000 rows
 * on the busier side of the import; raw codes then never reach the database.
 */
export async function upsertBatch(tx: Tx, rows: ImportRow[], at: Date) {
  const ownerCodes = newSecrets(rows.length, secretPrefixes.ownerCode);
  const deviceTokens = newSecrets(rows.length, secretPrefixes.deviceToken);
  const column = (values: string[]) => sql`${textArray(values)}::text[]`;
  const field = (name: keyof ImportRow) => column(rows.map((row) => String(row[name])));
  const stamp = sql`${at.toISOString()}::timestamptz`;
  const result = await tx.execute(sql`
    with input as (
      select * from unnest(${field("vin")}, ${field("model")}, ${field("hardware")}, ${field("region")}, ${field("channel")},
                           ${field("cohort")}, ${field("firmware")}, ${column(ownerCodes.map(sha256Hex))}, ${column(deviceTokens.map(sha256Hex))})
        as t(vin, model, hardware, region, channel, cohort, firmware, owner_code_hash, device_token_hash)
    ),
    existing as (
      select v.id, v.vin, v.firmware from vehicles v join input i on i.vin = v.vin
    ),
    inserted as (
      insert into vehicles (vin, model, hardware, region, channel, cohort, firmware,
                            owner_code_hash, device_token_hash, created_at, updated_at)
      select vin, model, hardware, region, channel::channel, cohort::cohort, firmware,
             owner_code_hash, device_token_hash, ${stamp}, ${stamp}
      from input i
      where not exists (select 1 from existing e where e.vin = i.vin)
      returning id, vin
    ),
    updated as (
      update vehicles v set
        model = i.model, hardware = i.hardware, region = i.region,
        channel = i.channel::channel, cohort = i.cohort::cohort, firmware = i.firmware, updated_at = ${stamp}
      from existing e join input i on i.vin = e.vin
      where v.id = e.id
      returning v.id, v.vin, e.firmware as before, v.firmware as after
    ),
    history as (
      insert into firmware_changes (vehicle_id, from_firmware, to_firmware, source, at)
      select id, before, after, 'import', ${stamp} from updated where before <> after
    )
    select id, vin, true as created from inserted
    union all
    select id, vin, false as created from updated`);
  // Rows of our own statement: read as they are, not parsed (a schema check per row cost ~1 µs a line).
  const stored = rowsOf<Stored>(result);
  // A car deleted after the look-up is neither inserted nor updated.
  if (stored.length !== rows.length) throw new BatchRaced();
  const byVin = new Map(stored.map((r) => [r.vin, r]));
  const upserted = [];
  const results: ImportLineResult[] = [];
  for (const [i, row] of rows.entries()) {
    const saved = byVin.get(row.vin);
    const [ownerCode, deviceToken] = [ownerCodes[i], deviceTokens[i]];
    if (!saved || ownerCode === undefined || deviceToken === undefined) throw new Error("one stored row, owner code and device token per input row");
    // Each upserted car is exactly its input row now (every field is set), so
    // the rules can tell from it which queues it may join.
    upserted.push({ ...row, id: Number(saved.id) });
    results.push(saved.created ? { line: row.line, vin: row.vin, result: "created", ownerCode, deviceToken } : { line: row.line, vin: row.vin, result: "updated" });
  }
  return { results, upserted };
}

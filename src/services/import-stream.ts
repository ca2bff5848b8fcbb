import type { Db } from "../db/client";
import { fieldErrors } from "../lib/create-router";
import { isDatabaseUnavailable } from "../lib/db-errors";
import { fieldMemo } from "../lib/field-memo";
import { readLines } from "../lib/ndjson";
// One import line is the API's vehicle contract; the route documents it, this parses by it.
import { ImportLine } from "../routes/vehicles/vehicles.schemas";
import { ImportInterrupted, type ImportSummary, importVehicles } from "./import-vehicles";

const maxLineLength = 4096;
const parseFields = fieldMemo(ImportLine);

function parseImportLine(text: string) {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false as const, detail: "not valid JSON" };
  }
  const parsed = parseFields(json);
  if (parsed.success) return { ok: true as const, row: parsed.data };
  return { ok: false as const, detail: fieldErrors(parsed.error.issues).map((e) => `${e.field}: ${e.message}`).join("; ") };
}

/**
 * An NDJSON import answered as NDJSON: one result per line, then the summary.
 * The work runs while the response streams, and writes wait for the client
 * (backpressure). Each batch commits before its lines are answered, so what
 * was answered stays even if the client goes away or the database fails later.
 */
export function importAsNdjson({ db, body, actor, at }: { db: Db; body: ReadableStream<Uint8Array>; actor: string; at: Date }): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  // A client that goes away fails a read of the body or a write of results: not a server failure.
  let clientGone = false;
  const send = (values: unknown[]) =>
    writer.write(encoder.encode(values.map((v) => `${JSON.stringify(v)}\n`).join(""))).catch((error: unknown) => {
      clientGone = true;
      throw error;
    });
  const bodyLines = readLines(body, maxLineLength);
  async function* lines() {
    try {
      yield* bodyLines;
    } catch (error) {
      clientGone = true;
      throw error;
    }
  }

  const work = (async () => {
    let summary: ImportSummary;
    try {
      summary = await importVehicles({ db, lines: lines(), parseLine: parseImportLine, actor, at, emit: send });
    } catch (error) {
      const cause = error instanceof ImportInterrupted ? error.cause : error;
      const partial = error instanceof ImportInterrupted ? error.summary : undefined;
      summary = partial ?? { lines: 0, created: 0, updated: 0, rejected: 0, committed: false, committedThroughLine: 0 };
      const through = summary.committedThroughLine ?? 0;
      const kept = through ? `Lines 1–${through} were committed as answered above; later lines were not applied.` : "Nothing was imported.";
      const why = isDatabaseUnavailable(cause) ? "The database became unavailable." : "The import failed.";
      summary.detail = `${why} ${kept} Send the file again (vehicles are upserted by VIN, codes are not reissued) or only the lines after ${through}.`;
      if (!isDatabaseUnavailable(cause) && !clientGone) console.error("import failed", cause);
    }
    await send([{ summary }]).catch(() => {});
    await writer.close().catch(() => {});
  })();
  void work;

  return readable;
}

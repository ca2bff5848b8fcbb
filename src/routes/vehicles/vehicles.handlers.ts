import { actorName } from "../../domain/roles";
import { keyHolder } from "../../lib/auth";
import { readLines } from "../../lib/ndjson";
import { ApiError } from "../../lib/problem";
import { type AppRouteHandler, jsonified } from "../../lib/types";
import { ImportInterrupted, type ImportSummary, importVehicles as runImport } from "../../services/import-vehicles";
import { supportStatus } from "../../services/support-status";
import { upsertVehicle, vehicleDetail } from "../../services/vehicles";
import { beatMs } from "../track/track.handlers";
import { fieldErrors } from "../../lib/create-router";
import { isDatabaseUnavailable } from "../../lib/db-errors";
import type { GetVehicleRoute, ImportVehiclesRoute, PutVehicleRoute } from "./vehicles.routes";
import { ImportLine } from "./vehicles.schemas";

export const putVehicle: AppRouteHandler<PutVehicleRoute> = async (c) => {
  const { db, clock } = c.var;
  const { vin } = c.req.valid("param");
  const result = await upsertVehicle({
    db,
    vin,
    input: c.req.valid("json"),
    actor: actorName(keyHolder(c.var.principal)),
    at: clock.now(),
  });
  const { id: _id, ...vehicle } = result.vehicle;
  if (result.created) {
    const { ownerCode, deviceToken } = result;
    return c.json(jsonified({ vehicle, ownerCode, deviceToken }), 201);
  }
  return c.json(jsonified({ vehicle }), 200);
};

export const getVehicle: AppRouteHandler<GetVehicleRoute> = async (c) => {
  const { db, clock } = c.var;
  const now = clock.now();
  const detail = await vehicleDetail({
    db,
    vin: c.req.valid("param").vin,
    actor: actorName(keyHolder(c.var.principal)),
    at: now,
  });
  const { status, answer } = await supportStatus(db, detail.vehicle, detail.events, now, beatMs);
  const { id: _id, ...vehicle } = detail.vehicle;
  return c.json(jsonified({ ...detail, vehicle, status, answer }), 200);
};

const maxLineLength = 4096;

function parseImportLine(text: string) {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false as const, detail: "not valid JSON" };
  }
  const parsed = ImportLine.safeParse(json);
  if (parsed.success) return { ok: true as const, row: parsed.data };
  return { ok: false as const, detail: fieldErrors(parsed.error.issues).map((e) => `${e.field}: ${e.message}`).join("; ") };
}

const ndjsonTypes = /^(application\/(x-)?ndjson|application\/jsonl|application\/x-jsonlines)\s*(;|$)/i;

export const importVehicles: AppRouteHandler<ImportVehiclesRoute> = async (c) => {
  const { db, clock } = c.var;
  if (!ndjsonTypes.test(c.req.header("content-type") ?? "")) {
    throw new ApiError("unsupported_media_type", "Send the vehicles as NDJSON with 'Content-Type: application/x-ndjson'.");
  }
  const body = c.req.raw.body;
  if (!body) throw new ApiError("bad_request", "The body is empty: send one vehicle per line.");
  const actor = actorName(keyHolder(c.var.principal));

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

  // Runs while the response streams; writes wait for the client (backpressure).
  // Each batch commits before its lines are answered, so what was answered
  // stays even if the client goes away or the database fails later on.
  const work = (async () => {
    let summary: ImportSummary;
    try {
      summary = await runImport({
        db,
        lines: lines(),
        parseLine: parseImportLine,
        actor,
        at: clock.now(),
        emit: send,
      });
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

  return new Response(readable, {
    status: 200,
    headers: { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": "no-store" },
  }) as never;
};

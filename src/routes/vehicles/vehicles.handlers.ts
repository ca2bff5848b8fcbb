import { actorName } from "../../domain/roles";
import { keyHolder } from "../../lib/auth";
import { readLines } from "../../lib/ndjson";
import { ApiError } from "../../lib/problem";
import { type AppRouteHandler, jsonified } from "../../lib/types";
import { type ImportSummary, importVehicles as runImport } from "../../services/import-vehicles";
import { upsertVehicle, vehicleDetail } from "../../services/vehicles";
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
  const detail = await vehicleDetail({
    db,
    vin: c.req.valid("param").vin,
    actor: actorName(keyHolder(c.var.principal)),
    at: clock.now(),
  });
  const { id: _id, ...vehicle } = detail.vehicle;
  return c.json(jsonified({ ...detail, vehicle }), 200);
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
  const send = (values: unknown[]) => writer.write(encoder.encode(values.map((v) => `${JSON.stringify(v)}\n`).join("")));

  // Runs while the response streams; writes wait for the client (backpressure),
  // and a client that goes away fails the write and so rolls the import back.
  const work = (async () => {
    let summary: ImportSummary;
    try {
      summary = await runImport({
        db,
        lines: readLines(body, maxLineLength),
        parseLine: parseImportLine,
        actor,
        at: clock.now(),
        emit: send,
      });
    } catch (error) {
      const detail = isDatabaseUnavailable(error)
        ? "The database became unavailable; nothing was imported. Retry the whole file."
        : "The import failed and was rolled back; nothing was imported.";
      if (!isDatabaseUnavailable(error)) console.error("import failed", error);
      summary = { lines: 0, created: 0, updated: 0, rejected: 0, committed: false, detail };
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

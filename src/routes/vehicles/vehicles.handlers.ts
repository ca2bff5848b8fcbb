import { actorName } from "../../domain/roles";
import { keyHolder } from "../../lib/auth";
import { ApiError } from "../../lib/problem";
import { type AppRouteHandler, jsonified } from "../../lib/types";
import { importAsNdjson } from "../../services/import-stream";
import { supportView } from "../../services/support-status";
import { upsertVehicle } from "../../services/vehicles";
import type { GetVehicleRoute, ImportVehiclesRoute, PutVehicleRoute } from "./vehicles.routes";

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
  const view = await supportView({
    db,
    vin: c.req.valid("param").vin,
    actor: actorName(keyHolder(c.var.principal)),
    at: clock.now(),
    knownIssues: c.var.knownIssues,
  });
  const { id: _id, ...vehicle } = view.vehicle;
  return c.json(jsonified({ ...view, vehicle }), 200);
};

const ndjsonTypes = /^(application\/(x-)?ndjson|application\/jsonl|application\/x-jsonlines)\s*(;|$)/i;

export const importVehicles: AppRouteHandler<ImportVehiclesRoute> = (c) => {
  const { db, clock } = c.var;
  if (!ndjsonTypes.test(c.req.header("content-type") ?? "")) {
    throw new ApiError("unsupported_media_type", "Send the vehicles as NDJSON with 'Content-Type: application/x-ndjson'.");
  }
  const body = c.req.raw.body;
  if (!body) throw new ApiError("bad_request", "The body is empty: send one vehicle per line.");
  const results = importAsNdjson({ db, body, actor: actorName(keyHolder(c.var.principal)), at: clock.now() });
  // A streamed body is not one of the JSON responses the route declares; hono's typed handler has no other way to say so (`as never`).
  return new Response(results, {
    status: 200,
    headers: { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": "no-store" },
  }) as never;
};

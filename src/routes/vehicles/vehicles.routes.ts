import { createRoute, z } from "@hono/zod-openapi";
import { requireRole } from "../../lib/auth";
import { VinParams, bearer, commonErrors, errorResponse, jsonBody, jsonResponse } from "../common.schemas";
import { RegisteredVehicle, VehicleBody, VehicleDetail } from "./vehicles.schemas";

export const putVehicle = createRoute({
  method: "put",
  path: "/v1/vehicles/{vin}",
  operationId: "putVehicle",
  tags: ["Vehicles"],
  summary: "Register or update one vehicle",
  security: bearer,
  middleware: [requireRole("release_manager")] as const,
  request: { params: VinParams, body: jsonBody(VehicleBody) },
  responses: {
    200: jsonResponse(RegisteredVehicle, "Updated"),
    201: jsonResponse(RegisteredVehicle, "Registered; ownerCode and deviceToken are shown this once"),
    ...commonErrors,
  },
});

export const getVehicle = createRoute({
  method: "get",
  path: "/v1/vehicles/{vin}",
  operationId: "getVehicle",
  tags: ["Vehicles"],
  summary: "Everything support needs about one vehicle, with the owner's status and the standard answer",
  description:
    "For support and release managers (the console links VINs from the queue here); every read is audited with the reader. " +
    "`status` is exactly what the owner sees from GET /v1/track/{code} now, in English; `answer` is the standard words to tell the " +
    "customer, in en, nl and de, generated from the same status, so two staff looking at the same car at the same moment say the same.",
  security: bearer,
  middleware: [requireRole("support", "release_manager")] as const,
  request: { params: VinParams },
  responses: { 200: jsonResponse(VehicleDetail, "The vehicle"), 404: errorResponse("No vehicle with this VIN"), ...commonErrors },
});

export const importVehicles = createRoute({
  method: "post",
  path: "/v1/vehicles/import",
  operationId: "importVehicles",
  tags: ["Vehicles"],
  summary: "Import vehicles from NDJSON, millions per request",
  description:
    "One vehicle per line (`{\"vin\": …, \"model\": …}` with the fields of PUT /v1/vehicles/{vin}). " +
    "The body is streamed and applied in batches, each committed on its own; the response streams one NDJSON line per input line " +
    "(`created` with the owner code and device token shown once, `updated`, or `rejected` with the reason), sent only after " +
    "the line's batch committed, and ends with a `summary` line counting committed lines. Invalid lines are skipped. " +
    "When the import stops part way (database outage, client gone), what was answered stays: `summary.committed` is false " +
    "and `summary.committedThroughLine` says up to which line; sending the same file again is safe (upsert by VIN, codes of " +
    "existing vehicles are not reissued).",
  security: bearer,
  middleware: [requireRole("release_manager")] as const,
  request: {
    body: { required: true, content: { "application/x-ndjson": { schema: z.string().openapi({ format: "binary" }) } } },
  },
  responses: {
    200: { description: "Per-line results of committed batches, then a summary", content: { "application/x-ndjson": { schema: z.string() } } },
    415: errorResponse("The body is not NDJSON"),
    ...commonErrors,
  },
});

export type PutVehicleRoute = typeof putVehicle;
export type GetVehicleRoute = typeof getVehicle;
export type ImportVehiclesRoute = typeof importVehicles;

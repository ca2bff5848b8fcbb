import { createRoute } from "@hono/zod-openapi";
import { requireReporter } from "../../lib/auth";
import { bearer, commonErrors, jsonBody, jsonResponse } from "../common.schemas";
import { ReportResults, ReportsBody } from "./reports.schemas";

export const postReports = createRoute({
  method: "post",
  path: "/v1/reports",
  operationId: "postReports",
  tags: ["Reports"],
  summary: "Report update progress: one report or a batch of up to 1000",
  description:
    "From the OTA gateway (a `gateway` key: any vehicle) or a vehicle's own device token (that vehicle only). " +
    "Idempotent by eventId; out-of-order reports never undo progress (a late `downloading` after `installed` is ignored).",
  security: bearer,
  middleware: requireReporter(),
  request: { body: jsonBody(ReportsBody) },
  responses: { 200: jsonResponse(ReportResults, "What became of each report"), ...commonErrors },
});

export type PostReportsRoute = typeof postReports;

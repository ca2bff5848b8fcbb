import { createRoute } from "@hono/zod-openapi";
import { requireRole } from "../../lib/auth";
import { bearer, commonErrors, jsonResponse } from "../common.schemas";
import { AuditPage, AuditQuery } from "./audit.schemas";

export const listAudit = createRoute({
  method: "get",
  path: "/v1/audit",
  operationId: "listAudit",
  tags: ["Audit"],
  summary: "The append-only audit log, newest first, filtered by release, actor and time",
  security: bearer,
  middleware: [requireRole("release_manager")] as const,
  request: { query: AuditQuery },
  responses: { 200: jsonResponse(AuditPage, "A page of the audit log"), ...commonErrors },
});

export type ListAuditRoute = typeof listAudit;

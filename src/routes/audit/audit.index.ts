import { createRoute, z } from "@hono/zod-openapi";
import { requireRole } from "../../lib/auth";
import { createRouter } from "../../lib/create-router";
import { jsonified } from "../../lib/types";
import { listAudit } from "../../services/audit-read";
import { TextSchema, TimestampSchema, VersionSchema, bearer, commonErrors, jsonResponse } from "../common.schemas";

const AuditQuery = z.object({
  release: VersionSchema.optional(),
  actor: TextSchema().max(200).optional(),
  from: TimestampSchema().optional(),
  to: TimestampSchema().optional(),
  before: z.coerce.number().int().positive().optional().openapi({ description: "Cursor: the last id of the previous page" }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const AuditPage = z
  .object({
    entries: z.array(
      z.object({
        id: z.number().int(),
        at: z.string(),
        actor: z.string(),
        action: z.string(),
        release: z.string().nullable(),
        vin: z.string().nullable(),
        before: z.unknown(),
        after: z.unknown(),
      }),
    ),
    next: z.number().int().nullable(),
  })
  .openapi("AuditPage");

// Exported for the console's audit view, as a type only.
export type AuditPage = z.output<typeof AuditPage>;
export type AuditEntry = AuditPage["entries"][number];

const listAuditRoute = createRoute({
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

export const auditRouter = createRouter().openapi(listAuditRoute, async (c) => {
  const q = c.req.valid("query");
  const page = await listAudit(c.var.db, {
    ...q,
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? new Date(q.to) : undefined,
  });
  return c.json(jsonified(page), 200);
});

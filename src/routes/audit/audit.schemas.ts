import { z } from "@hono/zod-openapi";
import { TextSchema, TimestampSchema, VersionSchema } from "../common.schemas";

export const AuditQuery = z.object({
  release: VersionSchema.optional(),
  actor: TextSchema().max(200).optional(),
  from: TimestampSchema().optional(),
  to: TimestampSchema().optional(),
  before: z.coerce.number().int().positive().optional().openapi({ description: "Cursor: the last id of the previous page" }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const AuditPage = z
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

import { z } from "@hono/zod-openapi";
import { reportedStates } from "../../domain/update-state";
import { TextSchema, TimestampSchema, VersionSchema, VinSchema } from "../common.schemas";

export const ReportSchema = z
  .object({
    eventId: z.uuid().openapi({ description: "Idempotency key: a report is applied once however often it is sent" }),
    vin: VinSchema,
    version: VersionSchema,
    state: z.enum(reportedStates),
    at: TimestampSchema().openapi({ description: "When it happened on the vehicle; reports may arrive out of order" }),
    errorCode: TextSchema().trim().min(1).max(100).optional(),
  })
  .strict()
  .openapi("Report");

export const ReportsBody = z
  .union([
    ReportSchema,
    z
      .object({
        reports: z
          .array(z.record(z.string(), z.unknown()))
          .min(1)
          .max(1000)
          .openapi({ description: "Up to 1000 Reports; each is accepted or rejected on its own" }),
      })
      .strict(),
  ])
  .openapi("Reports");

export const ReportResults = z
  .object({
    accepted: z.number().int(),
    duplicates: z.number().int(),
    rejected: z.number().int(),
    results: z.array(
      z.object({
        eventId: z.string().nullable(),
        status: z.enum(["accepted", "duplicate", "rejected"]),
        reason: z.string().optional(),
      }),
    ),
  })
  .openapi("ReportResults");

// Exported once for test/, as types only.
export type Report = z.input<typeof ReportSchema>;
export type ReportResults = z.output<typeof ReportResults>;

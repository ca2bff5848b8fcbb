import { z } from "@hono/zod-openapi";
import { knownIssueStatuses } from "../../db/schema";
import { QueryIntSchema, VersionSchema } from "../common.schemas";
import { LocalizedTextOut, LocalizedTextSchema } from "../localized.schemas";
import { LangQuery } from "../track/track.schemas";

const timestamp = z.string().openapi({ format: "date-time" });

export const KnownIssueStatusSchema = z
  .enum(knownIssueStatuses)
  .openapi("KnownIssueStatus", { description: "investigating: cause unknown; workaround: owners can avoid it; fixed: fixedIn names the version" });

/** An error code as vehicles report it (POST /v1/reports `errorCode`). */
const ErrorCodeSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/, "an error code like E_FLASH_VERIFY: letters, digits, '_', '.', ':', '-'")
  .openapi({ example: "E_FLASH_VERIFY" });

const ErrorCodesSchema = z
  .array(ErrorCodeSchema)
  .max(20)
  .refine((codes) => new Set(codes).size === codes.length, "each error code once")
  .openapi({ description: "Failed reports of the release carrying one of these codes count as reports of the issue" });

const fields = {
  title: LocalizedTextSchema(200, "Charging stops at 80% after the update"),
  body: LocalizedTextSchema(4000, "Some cars stop charging at 80%. Unplug and plug in again; a fix is on its way."),
  status: KnownIssueStatusSchema,
  fixedIn: VersionSchema.nullable().openapi({ description: "The version that fixes it; newer than the issue's release" }),
  errorCodes: ErrorCodesSchema,
};

export const CreateKnownIssueBody = z
  .object({ ...fields, status: fields.status.default("investigating"), fixedIn: fields.fixedIn.optional(), errorCodes: fields.errorCodes.default([]) })
  .strict()
  .openapi("KnownIssueCreate");

export const UpdateKnownIssueBody = z
  .object({ title: fields.title.optional(), body: fields.body.optional(), status: fields.status.optional(), fixedIn: fields.fixedIn.optional(), errorCodes: fields.errorCodes.optional() })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, "name at least one of title, body, status, fixedIn, errorCodes")
  .openapi("KnownIssueUpdate");

const counts = {
  reports: z.number().int().openapi({ description: "Cars reporting it: a linked case or a failed report with one of its error codes (a car with both counts once)" }),
  cases: z.number().int().openapi({ description: "Support cases linked to it" }),
  failedVehicles: z.number().int().openapi({ description: "Cars of the release whose failed report carries one of its error codes" }),
};

/** As written: what its editors get back from a create or a change. */
export const KnownIssueSchema = z
  .object({
    id: z.number().int(),
    version: z.string(),
    title: LocalizedTextOut,
    body: LocalizedTextOut,
    status: KnownIssueStatusSchema,
    fixedIn: z.string().nullable(),
    errorCodes: z.array(z.string()),
    ...counts,
    createdBy: z.string(),
    updatedBy: z.string(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi("KnownIssue");

/** In the reader's language: the public list. */
export const KnownIssueReadSchema = z
  .object({
    id: z.number().int(),
    title: z.string().openapi({ description: "In the reader's language (?lang= or Accept-Language), English when missing" }),
    body: z.string().openapi({ description: "In the reader's language" }),
    status: KnownIssueStatusSchema,
    fixedIn: z.string().nullable(),
    errorCodes: z.array(z.string()),
    ...counts,
    updatedAt: timestamp,
  })
  .openapi("KnownIssueRead");

export const KnownIssueListSchema = z.object({ version: z.string(), knownIssues: z.array(KnownIssueReadSchema) }).openapi("KnownIssueList");

export const KnownIssueParams = z.object({ id: QueryIntSchema().positive().openapi({ param: { name: "id", in: "path" }, example: 12 }) });
export const KnownIssueLangQuery = LangQuery;

// Exported once for web/ and test/, as types only.
export type KnownIssueCreate = z.input<typeof CreateKnownIssueBody>;
export type KnownIssueUpdate = z.input<typeof UpdateKnownIssueBody>;
export type KnownIssue = z.output<typeof KnownIssueSchema>;
export type KnownIssueRead = z.output<typeof KnownIssueReadSchema>;
export type KnownIssueList = z.output<typeof KnownIssueListSchema>;

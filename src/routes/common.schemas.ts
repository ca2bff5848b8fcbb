import { z } from "@hono/zod-openapi";
import { normalizeVin, vinProblem } from "../domain/vin";
import { isVersion } from "../domain/version";

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "/problems/validation" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");

// Exported once for web/ and test/ (as types only: esbuild erases them), so
// nothing outside the server spells out an API shape by hand.
export type Problem = z.output<typeof ProblemSchema>;
export type FieldError = NonNullable<Problem["errors"]>[number];

// Postgres text cannot hold NUL, and a lone surrogate is not Unicode (UTF-8
// cannot carry it). Both are the client's mistake: refused here, once, rather
// than left to fail in the database as a 500 or to be stored mangled.
const unstorable = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const isStorableText = (text: string) => !unstorable.test(text);

/** Free text people write (notes, labels, names, messages, query strings): any Unicode except NUL. */
export const TextSchema = () => z.string().refine(isStorableText, "must be Unicode text without NUL characters");

// Postgres dates reach further, but no rollout happens outside these years, and
// year 0000 (which ISO allows and Postgres refuses) lies outside them.
const firstYear = 2000;
const lastYear = 2999;

/** An ISO-8601 date-time with an offset, in the years 2000–2999 (UTC). */
export const TimestampSchema = () =>
  z.iso
    .datetime({ offset: true })
    .refine((text) => {
      const year = new Date(text).getUTCFullYear();
      // Not a date at all: the format check above has said so already.
      return Number.isNaN(year) || (year >= firstYear && year <= lastYear);
    }, `must be a date in the years ${firstYear}–${lastYear}`)
    .openapi({ format: "date-time" });

/** Postgres `integer`: what fits a column of it (ids, positions, counts, rates). */
export const int32Max = 2_147_483_647;
export const Int32Schema = () => z.number().int().min(-int32Max - 1).max(int32Max);

/** A row id in the path (`/…/{id}`): a positive Postgres `integer`. */
export const PathIdSchema = () =>
  z.coerce
    .number()
    .int()
    .positive()
    .max(int32Max, `must be at most ${int32Max}`)
    .openapi({ param: { name: "id", in: "path" }, example: 12 });

/** A path or query integer (text coerced), within Postgres `integer`. */
export const QueryIntSchema = () => z.coerce.number().int().max(int32Max);

export const VinSchema = z
  .string()
  .transform(normalizeVin)
  .superRefine((vin, ctx) => {
    const problem = vinProblem(vin);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .openapi({ type: "string", example: "5YJ3E1EA1KF000123", description: "ISO 3779 VIN: 17 characters, no I, O or Q" });

export const VersionSchema = z
  .string()
  .refine(isVersion, "a version is 2 to 4 numeric parts without leading zeros, like 2026.44.1")
  .openapi({ example: "2026.44.1" });

export const VinParams = z.object({
  vin: VinSchema.openapi({ param: { name: "vin", in: "path" } }),
});

export const VersionParams = z.object({
  version: VersionSchema.openapi({ param: { name: "version", in: "path" } }),
});

export const ChannelSchema = z.enum(["stable", "beta"]).openapi("Channel");
export const CohortSchema = z.enum(["employee", "early_access", "standard"]).openapi("Cohort");
export const UpdateStateSchema = z
  .enum(["queued", "offered", "downloading", "installing", "installed", "failed", "cancelled", "skipped"])
  .openapi("UpdateState");
export type Channel = z.output<typeof ChannelSchema>;
export type Cohort = z.output<typeof CohortSchema>;
export type UpdateState = z.output<typeof UpdateStateSchema>;

/** Short labels for fleet attributes (models, hardware, regions): printable, no spaces. */
export const LabelSchema = z.string().trim().min(1).max(40).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "letters, digits, '_', '.', '-' only");

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: ProblemSchema } },
});

/** The problems every authenticated endpoint can answer with. */
export const commonErrors = {
  400: problem("Malformed request: the problem lists the offending fields"),
  401: problem("No key, or a key that is not valid"),
  403: problem("The key's role may not do this"),
  503: problem("The database cannot be reached; retry after Retry-After seconds"),
} as const;

export const errorResponse = problem;

export const jsonBody = <T extends z.ZodType>(schema: T, description?: string) => ({
  required: true,
  ...(description ? { description } : {}),
  content: { "application/json": { schema } },
});

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export const bearer = [{ bearerAuth: [] }];

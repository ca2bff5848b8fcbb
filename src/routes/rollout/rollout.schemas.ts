import { z } from "@hono/zod-openapi";
import { Int32Schema, QueryIntSchema, TextSchema, TimestampSchema } from "../common.schemas";
import { LocalizedTextSchema } from "../localized.schemas";
import { StateCountsSchema } from "../releases/releases.schemas";

const percent = z.number().min(0).max(100);
const timestamp = z.string().openapi({ format: "date-time" });

export const WavePlanItem = z
  .object({
    name: LocalizedTextSchema(60, "early"),
    share: z.number().gt(0).max(100).openapi({ example: 1, description: "Cumulative percentage of the queue this wave reaches" }),
    ratePerHour: z.number().int().positive().max(10_000_000).optional().openapi({ description: "Offers per hour; absent: all at once" }),
    startAt: TimestampSchema().optional().openapi({ description: "Not before this time" }),
    autoAdvance: z
      .object({ minSuccessPercent: percent, soakMinutes: z.number().int().min(0).max(60 * 24 * 90) })
      .strict()
      .optional(),
    stopAt: z
      .object({
        maxFailurePercent: percent,
        minSample: Int32Schema().min(1),
        maxCasesPerThousand: z.number().min(0).max(1000).optional().openapi({ description: "Stop when support cases linked to the wave per 1,000 vehicles offered in it exceed this", example: 3 }),
        minOffered: Int32Schema().min(1).optional().openapi({ description: "The case rule fires only once this many vehicles of the wave were offered (needs maxCasesPerThousand)", example: 500 }),
        action: z.enum(["pause", "halt"]),
      })
      .strict()
      .refine((rule) => rule.minOffered === undefined || rule.maxCasesPerThousand !== undefined, { message: "minOffered belongs to the case rule: set maxCasesPerThousand too", path: ["minOffered"] })
      .optional()
      .openapi({ description: "Pause or halt the release on the wave's failure rate (maxFailurePercent over minSample outcomes) or, optionally, on support cases per 1,000 offered" }),
  })
  .strict()
  .openapi("WavePlanItem");

export const WavePlanBody = z
  .object({ waves: z.array(WavePlanItem).min(1).max(20) })
  .strict()
  .superRefine(({ waves }, ctx) => {
    waves.forEach((wave, i) => {
      const previous = waves[i - 1];
      if (previous && wave.share <= previous.share) {
        ctx.addIssue({ code: "custom", path: ["waves", i, "share"], message: `shares are cumulative and must increase: ${wave.share} follows ${previous.share}` });
      }
    });
  })
  .openapi("WavePlan");

export const PauseBody = z.object({ message: LocalizedTextSchema(500, "Paused while we look into a charging issue.") }).strict().openapi("Pause");
export const HaltBody = z
  .object({ reason: TextSchema().trim().min(1).max(2000).openapi({ description: "Internal: managers and support read it, owners never" }), message: LocalizedTextSchema(500, "Stopped: this update will not be installed.") })
  .strict()
  .openapi("Halt");

export const ImpactSchema = z
  .object({
    vehiclesChangingWave: z.number().int(),
    moves: z.array(z.object({ fromWave: z.number().int().nullable(), toWave: z.number().int().nullable(), count: z.number().int() })),
    etaShift: z.object({ minMinutes: z.number(), maxMinutes: z.number() }).nullable(),
  })
  .openapi("ReplanImpact");

export const DryRunSchema = z
  .object({
    dryRun: z.literal(true),
    impact: ImpactSchema,
    waves: z.array(z.object({ index: z.number().int(), name: z.string(), share: z.number(), from: z.number().int(), to: z.number().int(), size: z.number().int() })),
  })
  .openapi("ReplanPreview");

export const ProgressSchema = z
  .object({
    version: z.string(),
    state: z.string(),
    total: z.number().int(),
    waves: z.array(
      z.object({
        index: z.number().int(),
        name: z.string(),
        share: z.number(),
        from: z.number().int(),
        to: z.number().int(),
        size: z.number().int(),
        state: z.enum(["pending", "active", "done"]),
        offered: z.number().int(),
        counts: StateCountsSchema,
        failureRate: z.number(),
        maxFailureRate: z.number().nullable(),
        cases: z.number().int(),
        casesPerThousand: z.number().nullable().openapi({ description: "Cases linked to the wave per 1,000 vehicles offered in it; null before any offer" }),
        maxCasesPerThousand: z.number().nullable().openapi({ description: "The wave's case rule threshold, if it has one" }),
      }),
    ),
    installsOverTime: z.array(z.object({ at: timestamp, count: z.number().int() })),
    forecast: z.object({
      completion: timestamp.nullable(),
      waves: z.array(z.object({ index: z.number().int(), start: timestamp.nullable(), end: timestamp.nullable() })),
    }),
  })
  .openapi("Progress");

export const QueueQuery = z.object({
  wave: QueryIntSchema().min(1).optional(),
  state: z.enum(["queued", "offered", "downloading", "installing", "installed", "failed", "cancelled", "skipped"]).optional(),
  after: QueryIntSchema().min(0).optional().openapi({ description: "Cursor: the last position of the previous page" }),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const QueuePage = z
  .object({
    entries: z.array(z.object({ position: z.number().int(), vin: z.string(), state: z.string(), wave: z.number().int().nullable() })),
    next: z.number().int().nullable(),
  })
  .openapi("QueuePage");

// Exported once for web/ and test/ (as types only). Request bodies are what a
// client may send (z.input); responses are what the server writes (z.output).
export type WavePlanItem = z.input<typeof WavePlanItem>;
export type WavePlan = z.input<typeof WavePlanBody>;
export type Pause = z.input<typeof PauseBody>;
export type Halt = z.input<typeof HaltBody>;
export type ReplanImpact = z.output<typeof ImpactSchema>;
export type ReplanPreview = z.output<typeof DryRunSchema>;
export type Progress = z.output<typeof ProgressSchema>;
export type ProgressWave = Progress["waves"][number];
export type QueuePage = z.output<typeof QueuePage>;
export type QueueEntry = QueuePage["entries"][number];

import { z } from "@hono/zod-openapi";
import { releaseActions } from "../../domain/release-state";
import { ChannelSchema, LabelSchema, UpdateStateSchema, VersionSchema } from "../common.schemas";
import { LocalizedListOut, LocalizedTextOut, LocalizedTextSchema, PurposeSchema, R156Input } from "../localized.schemas";

const labels = (example: string[]) => z.array(LabelSchema).max(500).optional().openapi({ example });

export const EligibilitySchema = z
  .object({
    models: labels(["model3", "modelY"]),
    hardware: labels(["HW4"]),
    regions: labels(["NL", "DE"]),
    minVersion: VersionSchema.optional().openapi({ example: "2026.20.0" }),
  })
  .strict()
  .openapi("Eligibility", { description: "Who the release applies to; an absent or empty list means any." });

export const CreateReleaseBody = z
  .object({
    version: VersionSchema,
    channel: ChannelSchema,
    // Empty notes stay allowed as a plain string (a release without notes).
    notes: z.union([z.literal(""), LocalizedTextSchema(20_000, "Charging starts faster in the cold.")]).default("").openapi({
      description: 'Release notes for owners: a plain string (English) or {"en": …, "nl": …, "de": …}',
      example: { en: "Charging starts faster in the cold.", nl: "Laden start sneller in de kou.", de: "Laden startet schneller bei Kälte." },
    }),
    eligibility: EligibilitySchema.default({}),
    ...R156Input,
  })
  .strict()
  .openapi("CreateRelease");

const nullable = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

export const UpdateReleaseBody = z
  .object({
    notes: z.union([z.literal(""), LocalizedTextSchema(20_000, "Charging starts faster in the cold.")]).optional(),
    purpose: nullable(R156Input.purpose.unwrap()),
    installMinutes: nullable(R156Input.installMinutes.unwrap()),
    unavailableDuring: nullable(R156Input.unavailableDuring.unwrap()),
    instructions: nullable(R156Input.instructions.unwrap()),
  })
  .strict()
  .openapi("UpdateRelease", { description: "Only the fields sent change; null clears an optional field." });

const timestamp = z.string().openapi({ format: "date-time" });
const WaveStateSchema = z.enum(["pending", "active", "done"]).openapi("WaveState");

// Object.fromEntries loses the keys' literal types; the keys are exactly the update states.
export const StateCountsSchema = z
  .object(Object.fromEntries(UpdateStateSchema.options.map((s) => [s, z.number().int()])) as Record<
    z.infer<typeof UpdateStateSchema>,
    z.ZodNumber
  >)
  .openapi("StateCounts");

export const WaveSchema = z
  .object({
    index: z.number().int().openapi({ description: "1-based" }),
    name: LocalizedTextOut,
    share: z.number().openapi({ description: "Cumulative percentage of the queue reached by this wave" }),
    ratePerHour: z.number().int().nullable(),
    startAt: timestamp.nullable(),
    autoAdvance: z.object({ minSuccessPercent: z.number(), soakMinutes: z.number() }).nullable(),
    stopAt: z
      .object({ maxFailurePercent: z.number(), minSample: z.number(), maxCasesPerThousand: z.number().optional(), minOffered: z.number().optional(), action: z.enum(["pause", "halt"]) })
      .nullable(),
    state: WaveStateSchema,
    openedAt: timestamp.nullable(),
    doneAt: timestamp.nullable(),
    from: z.number().int(),
    to: z.number().int(),
    size: z.number().int(),
  })
  .openapi("Wave");

export const ReleaseActionSchema = z.enum(releaseActions).openapi("ReleaseAction");

export const ReleaseSchema = z
  .object({
    version: z.string(),
    channel: ChannelSchema,
    notes: LocalizedTextOut,
    purpose: PurposeSchema.nullable(),
    installMinutes: z.number().int().nullable(),
    unavailableDuring: LocalizedListOut.nullable(),
    instructions: LocalizedListOut.nullable(),
    eligibility: EligibilitySchema,
    state: z.enum(["draft", "rolling_out", "paused", "completed", "halted"]),
    haltReason: z.string().nullable(),
    notice: z.object({ kind: z.enum(["paused", "halted"]), message: LocalizedTextOut, at: timestamp }).nullable(),
    total: z.number().int().openapi({ description: "Vehicles in the queue" }),
    offeredThrough: z.number().int().openapi({ description: "Positions 1..offeredThrough have been offered" }),
    counts: StateCountsSchema,
    waves: z.array(WaveSchema),
    createdAt: timestamp,
    startedAt: timestamp.nullable(),
    completedAt: timestamp.nullable(),
    allowedActions: z.array(ReleaseActionSchema).openapi({
      description: "The state changes the server accepts now (POST /v1/releases/{version}/{action}); offer no other",
    }),
  })
  .openapi("Release");

// The console imports these as types only, so it reads releases exactly as the API writes them.
export type Release = z.infer<typeof ReleaseSchema>;
export type ReleaseAction = z.infer<typeof ReleaseActionSchema>;
export type ReleaseState = Release["state"];
export type Wave = z.output<typeof WaveSchema>;
export type StateCounts = z.output<typeof StateCountsSchema>;
export type Eligibility = z.output<typeof EligibilitySchema>;
// What a client sends: defaults (notes, eligibility) may be left out.
export type CreateRelease = z.input<typeof CreateReleaseBody>;

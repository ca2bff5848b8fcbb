import { z } from "@hono/zod-openapi";
import type { ImportLineResult, ImportSummary } from "../../services/import-vehicles";
import { TrackSchema } from "../track/track.schemas";
import { ChannelSchema, CohortSchema, LabelSchema, UpdateStateSchema, VersionSchema, VinSchema } from "../common.schemas";

export const VehicleBody = z
  .object({
    model: LabelSchema.openapi({ example: "model3" }),
    hardware: LabelSchema.openapi({ example: "HW4" }),
    region: LabelSchema.openapi({ example: "NL" }),
    channel: ChannelSchema,
    cohort: CohortSchema,
    firmware: VersionSchema.openapi({ example: "2026.38.2" }),
  })
  .strict()
  .openapi("VehicleInput");

export const ImportLine = VehicleBody.extend({ vin: VinSchema }).strict();

const timestamp = z.string().openapi({ format: "date-time" });

export const Vehicle = z
  .object({
    vin: z.string(),
    model: z.string(),
    hardware: z.string(),
    region: z.string(),
    channel: ChannelSchema,
    cohort: CohortSchema,
    firmware: z.string(),
    lastSeenAt: timestamp.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi("Vehicle");

export const RegisteredVehicle = z
  .object({
    vehicle: Vehicle,
    ownerCode: z.string().optional().openapi({ description: "The owner's tracking code; only when the vehicle was created, shown once" }),
    deviceToken: z.string().optional().openapi({ description: "The vehicle's own report key; only on creation, shown once" }),
  })
  .openapi("RegisteredVehicle");

export const VehicleDetail = z
  .object({
    vehicle: Vehicle,
    history: z.array(z.object({ from: z.string().nullable(), to: z.string(), source: z.string(), at: timestamp })),
    queue: z.array(
      z.object({
        version: z.string(),
        releaseState: z.string(),
        position: z.number().int().nullable(),
        state: UpdateStateSchema,
        offeredAt: timestamp.nullable(),
        updatedAt: timestamp,
      }),
    ),
    events: z.array(
      z.object({ eventId: z.string(), version: z.string(), state: UpdateStateSchema, errorCode: z.string().nullable(), at: timestamp }),
    ),
    cases: z.array(
      z.object({ reference: z.string(), summary: z.string(), version: z.string().nullable(), waveIndex: z.number().int().nullable(), createdAt: timestamp }),
    ),
    shareLinks: z.array(
      z.object({ id: z.number().int(), expiresAt: timestamp, revokedAt: timestamp.nullable(), createdAt: timestamp }),
    ),
    status: TrackSchema.openapi({ description: "Exactly what the owner sees from GET /v1/track/{code} at this moment, in English" }),
    answer: z
      .object({ en: z.string(), nl: z.string(), de: z.string() })
      .openapi("SupportAnswer", {
        description:
          "The standard words to tell the customer, per language, generated from `status` (place, ahead, wave, ETA or why it is unknown, " +
          "notice, reason when not eligible, error code when failed, known issues). Times are Amsterdam time, named (CET/CEST). Same data, same words.",
        example: {
          en: 'Your car is number 1,234 of 80,000 in line for update 2026.44.1, in wave 2 ("early"). 1,200 cars ahead of it have not been offered the update yet. We expect to offer it between 14:00 CET and 16:00 CET on 25 November.',
          nl: "Uw auto staat op plaats 1.234 van 80.000 in de rij voor update 2026.44.1, …",
          de: "Ihr Fahrzeug ist Nummer 1.234 von 80.000 in der Warteschlange für Update 2026.44.1, …",
        },
      }),
    matchingKnownIssues: z
      .array(
        z.object({
          id: z.number().int(),
          version: z.string(),
          title: z.string().openapi({ description: "In English" }),
          status: z.enum(["investigating", "workaround", "fixed"]),
          fixedIn: z.string().nullable(),
          reports: z.number().int(),
          errorCodes: z.array(z.string()),
        }),
      )
      .openapi({ description: "Known issues whose error codes match the car's newest failed report (of that report's release): what to pick as the case's knownIssueId" }),
  })
  .openapi("VehicleDetail");

// Exported once for web/ and test/ (as types only).
export type VehicleInput = z.input<typeof VehicleBody>;
export type ImportLineInput = z.input<typeof ImportLine>;
export type Vehicle = z.output<typeof Vehicle>;
export type RegisteredVehicle = z.output<typeof RegisteredVehicle>;
export type VehicleDetail = z.output<typeof VehicleDetail>;
// The import answers in NDJSON, written by the service without a zod schema:
// its line types are the contract, re-exported here beside the other shapes.
export type { ImportLineResult, ImportSummary };
/** One line of the import's answer: a line's result, or the closing summary. */
export type ImportAnswerLine = ImportLineResult | { summary: ImportSummary };

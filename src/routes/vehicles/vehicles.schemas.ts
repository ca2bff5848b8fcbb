import { z } from "@hono/zod-openapi";
import type { ImportLineResult, ImportSummary } from "../../services/import-vehicles";
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

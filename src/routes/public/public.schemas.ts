import { z } from "@hono/zod-openapi";
import { ChannelSchema, TimestampSchema, VersionSchema } from "../common.schemas";

// Anonymous and the same for everyone (SPEC: Public rollout page): percentages
// of the queue, never a vehicle, and fleet buckets of at least 20 vehicles.

const Percent = z.number().min(0).max(100).openapi({ example: 12.5, description: "Percent of the vehicles in line, one decimal" });
const WaveState = z.enum(["pending", "active", "done"]);

export const PublicWaveSchema = z
  .object({
    index: z.number().int().openapi({ example: 2 }),
    name: z.string().openapi({ example: "early access" }),
    share: z.number().openapi({ description: "Cumulative percent of the release's vehicles this wave reaches" }),
    state: WaveState,
    offeredPercent: Percent,
    installedPercent: Percent,
  })
  .openapi("PublicWave");

export const PublicReleaseSchema = z
  .object({
    version: VersionSchema,
    channel: ChannelSchema,
    state: z.enum(["draft", "rolling_out", "paused", "completed", "halted"]),
    notes: z.string(),
    notice: z.object({ kind: z.enum(["paused", "halted"]), message: z.string(), at: TimestampSchema() }).nullable(),
    startedAt: TimestampSchema().nullable(),
    completedAt: TimestampSchema().nullable(),
    currentWave: z
      .object({ index: z.number().int(), name: z.string(), of: z.number().int().openapi({ description: "How many waves the plan has" }) })
      .nullable()
      .openapi({ description: "The wave offering now, else the last one that opened; null before any opened" }),
    offeredPercent: Percent,
    installedPercent: Percent,
    waves: z.array(PublicWaveSchema),
  })
  .openapi("PublicRelease");

export const PublicReleasesSchema = z.object({ releases: z.array(PublicReleaseSchema) }).openapi("PublicReleases");

const VersionShareSchema = z
  .object({
    version: z.string().openapi({ example: "2026.44.1", description: 'A firmware version, or "other" for versions with fewer than 20 vehicles here' }),
    vehicles: z.number().int(),
    percent: Percent,
  })
  .openapi("VersionShare");

const FleetGroupSchema = z
  .object({
    name: z.string().openapi({ description: 'The model or region, or "other" for those with fewer than 20 vehicles' }),
    vehicles: z.number().int(),
    versions: z.array(VersionShareSchema),
  })
  .openapi("FleetGroup");

export const PublicFleetSchema = z
  .object({
    vehicles: z.number().int().openapi({ description: "Registered vehicles" }),
    versions: z.array(VersionShareSchema),
    byModel: z.array(FleetGroupSchema),
    byRegion: z.array(FleetGroupSchema),
  })
  .openapi("PublicFleet");

export type PublicRelease = z.output<typeof PublicReleaseSchema>;
export type PublicReleases = z.output<typeof PublicReleasesSchema>;
export type PublicFleet = z.output<typeof PublicFleetSchema>;

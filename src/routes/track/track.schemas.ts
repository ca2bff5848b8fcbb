import { z } from "@hono/zod-openapi";
import { knownIssueStatuses } from "../../db/schema";
import { ChannelSchema } from "../common.schemas";
import { PurposeSchema } from "../localized.schemas";

const timestamp = z.string().openapi({ format: "date-time" });

/** What a tracking code looks like: 16–64 letters, digits, '-' and '_' (as a pattern to build others from). */
export const codePattern = "[A-Za-z0-9_-]{16,64}";
export const codeShape = new RegExp(`^${codePattern}$`);
/** The same test as CodeParams' (checked against it in test/api/track-code-shape.test.ts), without zod: refresh storms ask it per request. */
export const wellFormedCode = (code: string) => codeShape.test(code);

export const CodeParams = z.object({
  code: z
    .string()
    .min(16)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/, "a tracking code is letters, digits, '-' and '_'")
    .openapi({ param: { name: "code", in: "path" }, example: "Zm9yIGV4YW1wbGUgb25seQ" }),
});

export const LangQuery = z.object({
  lang: z
    .string()
    // Case does not matter in a tag ("en-gb" is "en-GB"); junk still gets a 400.
    .regex(/^[A-Za-z]{2,3}(-([A-Za-z]{2}|[0-9]{3}|[A-Za-z]{4}))?$/, "a language tag like en, nl, de or en-GB")
    .optional()
    .openapi({ param: { name: "lang", in: "query" }, example: "nl", description: "The language to read localized text in; overrides Accept-Language. English where a text lacks it." }),
});

export const OwnerKnownIssueSchema = z
  .object({
    id: z.number().int(),
    title: z.string().openapi({ description: "In the reader's language" }),
    status: z.enum(knownIssueStatuses),
    fixedIn: z.string().nullable(),
    reports: z.number().int().openapi({ description: "Cars reporting it (linked cases and failed reports with its error codes)" }),
  })
  .openapi("OwnerKnownIssue");

export const TrackSchema = z
  .object({
    vehicle: z.object({ vin: z.string().openapi({ example: "5YJ3E1EA1*****123" }), model: z.string(), firmware: z.string(), channel: z.enum(["stable", "beta"]) }),
    release: z
      .object({
        version: z.string(),
        notes: z.string().openapi({ description: "In the reader's language (?lang= or Accept-Language), English when missing" }),
        purpose: PurposeSchema.optional(),
        installMinutes: z.number().int().optional().openapi({ description: "Expected install time in minutes" }),
        unavailableDuring: z.array(z.string()).optional().openapi({ description: "Functions the car cannot use during the install, in the reader's language" }),
        instructions: z.array(z.string()).optional().openapi({ description: "What to do before the install, in the reader's language" }),
      })
      .nullable()
      .openapi({ description: "The UN R156 fields are present only when the release has them" }),
    access: z.enum(["owner", "share"]).openapi({ description: "owner: the owner's own code; share: a share link from support, which cannot do what only the owner may (change the channel)" }),
    state: z.enum(["queued", "offered", "downloading", "installing", "installed", "failed", "cancelled", "not_eligible", "up_to_date"]),
    reason: z.string().optional().openapi({ description: "Present when not_eligible: which rule excludes the car, in words" }),
    reasonCode: z.enum(["channel", "model", "hardware", "region", "min_version"]).optional().openapi({ description: "The same rule as a code, for translation" }),
    queue: z
      .object({
        position: z.number().int(),
        total: z.number().int(),
        ahead: z.number().int().openapi({ description: "Vehicles before this one that have not been offered the release yet" }),
        offered: z.number().int().openapi({ description: "Vehicles of the whole queue offered the release so far (positions 1..offered)" }),
        wave: z.object({ index: z.number().int(), name: z.string().openapi({ description: "In the reader's language" }), state: z.enum(["pending", "active", "done"]) }).nullable(),
      })
      .nullable(),
    eta: z.object({ earliest: timestamp, latest: timestamp }).nullable().openapi({ description: "Null when unknown: paused, or waiting for a wave without a start" }),
    notice: z.object({ kind: z.enum(["paused", "halted"]), message: z.string().openapi({ description: "In the reader's language" }), at: timestamp }).nullable(),
    // The optional fields are declared so the owner page reads them typed, not guessed.
    timeline: z.array(
      z
        .object({
          state: z.string().openapi({ description: "The car's own steps (queued, offered, …), the release's (wave_opened, paused, resumed, halted, completed), channel_changed, and replanned when a new wave plan moved the car to another wave" }),
          at: timestamp,
          message: z.string().optional().openapi({ description: "paused, resumed, halted, completed: the public message in the reader's language, when there was one" }),
          wave: z.number().int().optional().openapi({ description: "wave_opened: the wave that opened; replanned: the wave a new plan moved the car to" }),
          waveName: z.string().optional().openapi({ description: "replanned: that wave's name as planned (English)" }),
          channel: z.string().optional().openapi({ description: "channel_changed: the channel the car switched to (stable, beta)" }),
        })
        .passthrough(),
    ),
    knownIssues: z
      .array(OwnerKnownIssueSchema)
      .openapi({ description: "Known issues of the release the car waits for or runs (its firmware when up to date or not eligible); empty when none. Up to 5 s old." }),
  })
  .openapi("Track");

export const ChannelBody = z.object({ channel: ChannelSchema }).strict().openapi("ChannelChange");

// Exported once for web/ (the owner page) and test/, as types only.
export type Track = z.output<typeof TrackSchema>;
export type TrackState = Track["state"];
export type TrackTimelineEntry = Track["timeline"][number];
export type OwnerKnownIssue = Track["knownIssues"][number];
export type ChannelChange = z.input<typeof ChannelBody>;

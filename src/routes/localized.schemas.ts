import { z } from "@hono/zod-openapi";
import { releasePurposes } from "../db/schema";
import { isLanguageTag, languageTagPattern } from "../domain/localized-text";
import { TextSchema } from "./common.schemas";

// Input and output schemas of localized fields (SPEC: Localized text): a plain
// string, or an object of language tags with "en" required. Each text goes
// through TextSchema, so NUL and lone surrogates stay refused in every language.

const tagKeys = (o: Record<string, unknown>, ctx: z.RefinementCtx) => {
  for (const key of Object.keys(o)) {
    if (!isLanguageTag(key)) ctx.addIssue({ code: "custom", path: [key], message: `"${key}" is not a language tag like en, nl, de or en-GB` });
  }
};

const localeObject = <T extends z.ZodType>(value: () => T) =>
  z
    .object({ en: value(), nl: value().optional(), de: value().optional() })
    .catchall(value())
    .superRefine(tagKeys)
    // zod-openapi's metadata type omits `propertyNames` (valid OpenAPI 3.1 / JSON Schema); the document carries it as given.
    .openapi({ propertyNames: { pattern: languageTagPattern.source } } as never);

const explain = (what: string) =>
  `must be ${what}, or an object of language tags (${languageTagPattern.source}) to ${what} with "en" required`;

/** Free text written per language: "…" or {"en": "…", "nl": "…", "de": "…"}. */
export const LocalizedTextSchema = (max: number, example: string) =>
  z
    .union([TextSchema().trim().min(1).max(max), localeObject(() => TextSchema().trim().min(1).max(max))], {
      error: explain(`a text of 1–${max} characters`),
    })
    .openapi({
      description: 'A plain string (English) or one text per language tag, "en" required; owners read their language, English when theirs is missing.',
      example: { en: example, nl: `${example} (nl)`, de: `${example} (de)` },
    });

const listItem = () => TextSchema().trim().min(1).max(200);
const listOrText = () => z.union([listItem(), z.array(listItem()).min(1).max(20)]);

/** A list of short texts (or one text) per language: what to prepare, what is unavailable. */
export const LocalizedListSchema = (example: string[]) =>
  z
    .union([listOrText(), localeObject(listOrText)], { error: explain("a text or a list of 1–20 texts of 1–200 characters") })
    .openapi({
      description: 'A text or a list of texts, plain (English) or per language tag with "en" required.',
      example: { en: example, nl: example.map((e) => `${e} (nl)`), de: example.map((e) => `${e} (de)`) },
    });

const outMap = <T extends z.ZodType>(value: T) => z.object({ en: value }).catchall(value);

/** Localized text as stored: what managers read back and edit. */
export const LocalizedTextOut = z.union([z.string(), outMap(z.string())]).openapi("LocalizedText", {
  description: 'As written: a plain string (English) or {"en": …, "nl": …, …}',
});
export const LocalizedListOut = z
  .union([z.string(), z.array(z.string()), outMap(z.union([z.string(), z.array(z.string())]))])
  .openapi("LocalizedList", { description: "As written: a text or a list, plain (English) or per language tag" });

export const PurposeSchema = z
  .enum(releasePurposes)
  .openapi("ReleasePurpose", { description: "Why the update is made (UN R156 §7)" });

/** The UN R156 §7 fields of a release: what a user must be able to learn before the update. All optional. */
export const R156Input = {
  purpose: PurposeSchema.optional(),
  installMinutes: z.number().int().min(1).max(24 * 60).optional().openapi({ description: "Expected install time in minutes", example: 25 }),
  unavailableDuring: LocalizedListSchema(["Driving", "Charging"]).optional().openapi({ description: "Functions the car cannot use during the install" }),
  instructions: LocalizedListSchema(["Park the car", "Connect to Wi-Fi", "Charge above 20%"]).optional().openapi({ description: "What the owner should do before the install" }),
};

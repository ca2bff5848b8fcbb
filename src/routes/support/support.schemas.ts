import { z } from "@hono/zod-openapi";
import { TextSchema, int32Max } from "../common.schemas";

const timestamp = z.string().openapi({ format: "date-time" });

export const ShareLinkBody = z
  .object({ expiresInHours: z.number().int().min(1).max(24 * 30).openapi({ example: 72 }) })
  .strict()
  .openapi("ShareLinkRequest");
export const ShareLink = z
  .object({ id: z.number().int(), url: z.string(), code: z.string().openapi({ description: "Shown once" }), expiresAt: timestamp })
  .openapi("ShareLink");

export const CaseBody = z
  .object({
    reference: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9_.:#-]{1,63}$/, "a case reference like ZD-123456").openapi({ example: "ZD-123456" }),
    summary: TextSchema().trim().max(2000).default(""),
    knownIssueId: z.number().int().min(1).max(int32Max).optional().openapi({ description: "A known issue of the release the case is linked to (409 when it is another release's)" }),
  })
  .strict()
  .openapi("CaseLink");
export const SupportCase = z
  .object({ reference: z.string(), summary: z.string(), vin: z.string(), version: z.string().nullable(), waveIndex: z.number().int().nullable(), knownIssueId: z.number().int().nullable(), createdAt: timestamp })
  .openapi("SupportCase");

// Exported once for web/ and test/, as types only.
export type ShareLinkRequest = z.input<typeof ShareLinkBody>;
export type ShareLink = z.output<typeof ShareLink>;
export type CaseLink = z.input<typeof CaseBody>;
export type SupportCase = z.output<typeof SupportCase>;

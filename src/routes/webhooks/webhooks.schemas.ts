import { z } from "@hono/zod-openapi";
import { webhookEventTypes } from "../../services/webhooks";
import { PathIdSchema, isStorableText } from "../common.schemas";

export const WebhookEventTypeSchema = z.enum(webhookEventTypes).openapi("WebhookEventType");

export const CreateWebhookBody = z
  .object({
    url: z
      .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
      .max(2000)
      // A URL parser takes NUL and lone surrogates in a path; the database does not.
      .refine(isStorableText, "must be a URL without NUL characters or lone surrogates")
      .openapi({
        description:
          "An https URL on a public address. Loopback, private, link-local and cloud metadata addresses are refused, " +
          "also when the host name resolves to one, and checked again at every delivery.",
        example: "https://support.example.com/hooks/rollout",
      }),
    eventTypes: z
      .array(WebhookEventTypeSchema)
      .min(1)
      .refine((types) => new Set(types).size === types.length, "must not list an event type twice")
      .openapi({ example: ["release.paused", "release.halted"] }),
  })
  .openapi("CreateWebhook");

export const Webhook = z
  .object({
    id: z.number().int(),
    url: z.string(),
    eventTypes: z.array(WebhookEventTypeSchema),
    createdAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Webhook");

export const CreatedWebhook = Webhook.extend({
  secret: z.string().openapi({
      description:
      "Signs every delivery: `x-rollout-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<raw body>\">`. Shown only in this response.",
  }),
}).openapi("CreatedWebhook");

export const WebhookList = z.object({ webhooks: z.array(Webhook) }).openapi("WebhookList");

export const WebhookParams = z.object({ id: PathIdSchema() });

// Exported once for test/, as types only.
export type CreateWebhook = z.input<typeof CreateWebhookBody>;
export type Webhook = z.output<typeof Webhook>;
export type CreatedWebhook = z.output<typeof CreatedWebhook>;
export type WebhookList = z.output<typeof WebhookList>;

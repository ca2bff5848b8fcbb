import { createRoute, z } from "@hono/zod-openapi";
import { requireRole } from "../../lib/auth";
import { webhookEventTypes } from "../../services/webhooks";
import { bearer, commonErrors, isStorableText, jsonBody, jsonResponse } from "../common.schemas";

export const WebhookEventTypeSchema = z.enum(webhookEventTypes).openapi("WebhookEventType");

export const CreateWebhookBody = z
  .object({
    url: z
      .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
      .max(2000)
      // A URL parser takes NUL and lone surrogates in a path; the database does not.
      .refine(isStorableText, "must be a URL without NUL characters or lone surrogates")
      .openapi({ example: "https://support.example.com/hooks/rollout" }),
    eventTypes: z
      .array(WebhookEventTypeSchema)
      .min(1)
      .refine((types) => new Set(types).size === types.length, "must not list an event type twice")
      .openapi({ example: ["release.paused", "release.halted"] }),
  })
  .openapi("CreateWebhook");

export const CreatedWebhook = z
  .object({
    id: z.number().int(),
    url: z.string(),
    eventTypes: z.array(WebhookEventTypeSchema),
    createdAt: z.string(),
    secret: z.string().openapi({
      description:
        "Signs every delivery: `x-rollout-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<raw body>\">`. Shown only in this response.",
    }),
  })
  .openapi("CreatedWebhook");

export const createWebhook = createRoute({
  method: "post",
  path: "/v1/webhooks",
  tags: ["Webhooks"],
  summary: "Subscribe a URL to events",
  description:
    "Events are POSTed as JSON `{id, type, createdAt, data}` with headers `x-rollout-event`, `x-rollout-delivery` and " +
    "`x-rollout-signature`; any 2xx acknowledges, anything else is retried with exponential backoff (30 s doubling, " +
    "at most one hour apart, 10 attempts). `id` is stable across retries: use it to drop duplicates.",
  security: bearer,
  middleware: [requireRole("admin")] as const,
  request: { body: jsonBody(CreateWebhookBody) },
  responses: { 201: jsonResponse(CreatedWebhook, "The subscription; its secret is shown once"), ...commonErrors },
});

export type CreateWebhookRoute = typeof createWebhook;

import { createRoute, z } from "@hono/zod-openapi";
import { requireRole } from "../../lib/auth";
import { webhookEventTypes } from "../../services/webhooks";
import { bearer, commonErrors, errorResponse, isStorableText, jsonBody, jsonResponse } from "../common.schemas";

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

export const WebhookParams = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2_147_483_647, "must be at most 2147483647")
    .openapi({ param: { name: "id", in: "path" }, example: 12 }),
});

export const createWebhook = createRoute({
  method: "post",
  path: "/v1/webhooks",
  operationId: "createWebhook",
  tags: ["Webhooks"],
  summary: "Subscribe a URL to events",
  description:
    "Events are POSTed as JSON `{id, type, createdAt, data}` with headers `x-rollout-event`, `x-rollout-delivery` and " +
    "`x-rollout-signature`; any 2xx acknowledges, anything else is retried with exponential backoff (30 s doubling, " +
    "at most one hour apart, 10 attempts). `id` is stable across retries: use it to drop duplicates. " +
    "The URL must be https on a public address (a 400 on `url` says why not); redirects are not followed.",
  security: bearer,
  middleware: [requireRole("admin")] as const,
  request: { body: jsonBody(CreateWebhookBody) },
  responses: { 201: jsonResponse(CreatedWebhook, "The subscription; its secret is shown once"), ...commonErrors },
});

export const listWebhooks = createRoute({
  method: "get",
  path: "/v1/webhooks",
  operationId: "listWebhooks",
  tags: ["Webhooks"],
  summary: "List the subscriptions",
  description: "The active subscriptions, oldest first. Their signing secrets are never shown again.",
  security: bearer,
  middleware: [requireRole("admin")] as const,
  responses: { 200: jsonResponse(WebhookList, "The active subscriptions, without secrets"), ...commonErrors },
});

export const deleteWebhook = createRoute({
  method: "delete",
  path: "/v1/webhooks/{id}",
  operationId: "deleteWebhook",
  tags: ["Webhooks"],
  summary: "Remove a subscription",
  description:
    "Audited like the subscription itself. The subscription gets no further deliveries: events not yet sent to it " +
    "stay unsent, and new events are not queued for it.",
  security: bearer,
  middleware: [requireRole("admin")] as const,
  request: { params: WebhookParams },
  responses: { 204: { description: "Removed" }, 404: errorResponse("No such active subscription"), ...commonErrors },
});

// Exported once for test/, as types only.
export type CreateWebhook = z.input<typeof CreateWebhookBody>;
export type Webhook = z.output<typeof Webhook>;
export type CreatedWebhook = z.output<typeof CreatedWebhook>;
export type WebhookList = z.output<typeof WebhookList>;

export type CreateWebhookRoute = typeof createWebhook;
export type ListWebhooksRoute = typeof listWebhooks;
export type DeleteWebhookRoute = typeof deleteWebhook;

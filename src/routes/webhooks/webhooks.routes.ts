import { createRoute } from "@hono/zod-openapi";
import { requireRole } from "../../lib/auth";
import { bearer, commonErrors, errorResponse, jsonBody, jsonResponse } from "../common.schemas";
import { CreateWebhookBody, CreatedWebhook, WebhookList, WebhookParams } from "./webhooks.schemas";

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

export type CreateWebhookRoute = typeof createWebhook;
export type ListWebhooksRoute = typeof listWebhooks;
export type DeleteWebhookRoute = typeof deleteWebhook;

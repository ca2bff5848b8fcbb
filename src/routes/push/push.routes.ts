import { createRoute } from "@hono/zod-openapi";
import { errorResponse, jsonBody, jsonResponse } from "../common.schemas";
import { CodeParams } from "../track/track.schemas";
import { CreatePushSubscriptionBody, CreatedPushSubscription, PushKey, PushSubscriptionParams } from "./push.schemas";

export const getPushKey = createRoute({
  method: "get",
  path: "/v1/push/key",
  operationId: "getPushKey",
  tags: ["Owners"],
  security: [],
  summary: "The VAPID public key browsers subscribe to notifications with",
  description: "From VAPID_PUBLIC_KEY, or generated once and kept in the database when no keys are configured.",
  responses: {
    200: jsonResponse(PushKey, "The VAPID public key"),
    "4XX": errorResponse("Any client error (for example another method: 405 with Allow), as problem+json"),
    503: errorResponse("The database cannot be reached"),
  },
});

export const createPushSubscription = createRoute({
  method: "post",
  path: "/v1/track/{code}/subscriptions",
  operationId: "createPushSubscription",
  tags: ["Owners"],
  // The owner's own code in the path is the credential.
  security: [],
  summary: "Subscribe a browser to the owner's notifications (Web Push)",
  description:
    "Takes the browser's `PushSubscription.toJSON()` plus `lang` and optional `events`. Only the owner's own code, not a share link; " +
    "the subscription ends with that code. Messages (encrypted, RFC 8291 aes128gcm, signed with VAPID) say when the car's wave opened, " +
    "the update was offered, the rollout paused, resumed or halted, the update installed or failed, and when a re-plan moved the " +
    "expected offer by more than two hours. Each message carries `{title, body, tag, event, subscription}`; no tracking code or URL.",
  request: { params: CodeParams, body: jsonBody(CreatePushSubscriptionBody) },
  responses: {
    201: jsonResponse(CreatedPushSubscription, "Subscribed (the same browser again: its keys, language and events updated)"),
    400: errorResponse("Malformed subscription, or an endpoint that is not https on a public address"),
    403: errorResponse("A share link cannot subscribe; only the owner's own code"),
    404: errorResponse("Unknown or expired code"),
    429: errorResponse("Too many requests from this client; see Retry-After and RateLimit"),
    503: errorResponse("The database cannot be reached"),
  },
});

export const deletePushSubscription = createRoute({
  method: "delete",
  path: "/v1/track/{code}/subscriptions/{id}",
  operationId: "deletePushSubscription",
  tags: ["Owners"],
  security: [],
  summary: "Unsubscribe a browser",
  request: { params: PushSubscriptionParams },
  responses: {
    204: { description: "Unsubscribed; nothing more is sent to it" },
    400: errorResponse("Malformed request"),
    403: errorResponse("A share link cannot unsubscribe; only the owner's own code"),
    404: errorResponse("Unknown code, or no such subscription of this car"),
    429: errorResponse("Too many requests from this client; see Retry-After and RateLimit"),
    503: errorResponse("The database cannot be reached"),
  },
});

export type GetPushKeyRoute = typeof getPushKey;
export type CreatePushSubscriptionRoute = typeof createPushSubscription;
export type DeletePushSubscriptionRoute = typeof deletePushSubscription;

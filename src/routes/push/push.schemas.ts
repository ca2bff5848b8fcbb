import { z } from "@hono/zod-openapi";
import { locales } from "../../domain/locale-negotiation";
import { pushEvents } from "../../domain/push-messages";
import { PathIdSchema, isStorableText } from "../common.schemas";
import { CodeParams } from "../track/track.schemas";

export const PushEventSchema = z.enum(pushEvents).openapi("PushEvent");

export const PushKey = z
  .object({
    publicKey: z.string().openapi({
      description: "The VAPID public key (RFC 8292): the raw P-256 point, base64url. Pass it as `applicationServerKey` to `pushManager.subscribe`.",
      example: "BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U",
    }),
  })
  .openapi("PushKey");

export const CreatePushSubscriptionBody = z
  .object({
    endpoint: z
      .url({ protocol: /^https?$/, error: "must be an https:// URL" })
      .max(2000)
      .refine(isStorableText, "must be a URL without NUL characters or lone surrogates")
      .openapi({ description: "The push service's URL for this browser: https on a public address (checked again at every delivery)" }),
    expirationTime: z.number().nullable().optional().openapi({ description: "As PushSubscription.toJSON() gives it; not used" }),
    keys: z
      .object({
        // 65 bytes (an uncompressed P-256 point, 0x04 first) and 16 bytes, base64url without padding (RFC 8291 §3.1, §3.2).
        p256dh: z.string().regex(/^B[A-Za-z0-9_-]{86}$/, "must be a base64url uncompressed P-256 public key (65 bytes)"),
        auth: z.string().regex(/^[A-Za-z0-9_-]{21}[AQgw]$/, "must be a base64url 16-byte auth secret"),
      })
      .strict(),
    lang: z.enum(locales).openapi({ description: "The language of the notifications" }),
    events: z
      .array(PushEventSchema)
      .min(1)
      .refine((events) => new Set(events).size === events.length, "must not list an event twice")
      .optional()
      .openapi({ description: "What to be told about; all of them when absent" }),
  })
  .strict()
  .openapi("CreatePushSubscription");

export const CreatedPushSubscription = z.object({ id: z.number().int() }).openapi("CreatedPushSubscription");

// The owner's code as /v1/track reads it, and the subscription's id.
export const PushSubscriptionParams = CodeParams.extend({ id: PathIdSchema() });

// Exported once for web/ and test/, as types only.
export type PushKey = z.output<typeof PushKey>;
export type CreatePushSubscription = z.input<typeof CreatePushSubscriptionBody>;
export type CreatedPushSubscription = z.output<typeof CreatedPushSubscription>;

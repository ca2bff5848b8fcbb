import { z } from "zod";
import { type WebhookTargets, strictWebhookTargets } from "./lib/public-address";
import { type TrustProxy, parseTrustProxy } from "./lib/client-address";

// Read once at the edge of the process (server.ts, worker.ts); nothing else
// reads the environment.
const configSchema = z.object({
  ADMIN_TOKEN: z.string().min(16, "ADMIN_TOKEN must be at least 16 characters").optional(),
  PUBLIC_URL: z.url().optional(),
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(1_048_576),
  TRACK_RATE_LIMIT: z.coerce.number().int().positive().default(60),
  // At most the owner's staleness bound (routes/track/track.handlers.ts ownerStalenessMs, 2 s).
  TRACK_CACHE_MS: z.coerce.number().int().min(0).max(2000).default(2000),
  WEBHOOK_ALLOW_PRIVATE: z.enum(["0", "1"]).default("0"),
  AUTH_FAILURE_LIMIT: z.coerce.number().int().positive().default(20),
  // RFC 8292 keys as web-push tools print them: the public key is the raw P-256 point (65 bytes), the private key its scalar (32 bytes), base64url.
  VAPID_PUBLIC_KEY: z.string().regex(/^[A-Za-z0-9_-]{87}$/, "VAPID_PUBLIC_KEY must be a base64url P-256 public key (65 bytes)").optional(),
  VAPID_PRIVATE_KEY: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "VAPID_PRIVATE_KEY must be a base64url P-256 private key (32 bytes)").optional(),
  VAPID_SUBJECT: z.string().regex(/^(mailto:|https:\/\/)\S+$/, "VAPID_SUBJECT must be a mailto: or https: URL").optional(),
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((value, ctx) => {
      try {
        return parseTrustProxy(value);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: error instanceof Error ? error.message : String(error) });
        return z.NEVER;
      }
    }),
});

/** The VAPID identity push messages are signed with (RFC 8292). */
export type VapidKeys = { publicKey: string; privateKey: string };

export type Config = {
  adminToken?: string;
  /** Base of the links handed out (share links); never the request's Host. The Node entry falls back to its own address. */
  publicUrl?: string;
  maxBodyBytes: number;
  /** Owner status requests per client and minute. */
  trackRateLimit: number;
  /** How long an owner's answer is reused, counted from its read (0: never). */
  trackCacheMs: number;
  /** Where webhooks may go: strict unless an on-premise install opts into private addresses. */
  webhookTargets: WebhookTargets;
  /** Failed authentications (unknown or revoked key or device token) per client and minute. */
  authFailureLimit: number;
  /** The forwarding header to believe and the proxies it is believed from; none by default. */
  trustProxy?: TrustProxy;
  /** Configured VAPID keys; without them the keys are generated once and kept in the database (src/services/vapid-keys.ts). */
  vapidKeys?: VapidKeys;
  /** Who push services may contact about our messages: VAPID_SUBJECT, else PUBLIC_URL when https, else a placeholder address. */
  vapidSubject?: string;
  /** Where push messages may go: always strict from the environment (push services are public); tests pass their local stand-in here. */
  pushTargets: WebhookTargets;
};

export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = configSchema.parse(cleaned);
  if ((parsed.VAPID_PUBLIC_KEY === undefined) !== (parsed.VAPID_PRIVATE_KEY === undefined)) {
    throw new Error("VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together: set both or neither");
  }
  return {
    adminToken: parsed.ADMIN_TOKEN,
    publicUrl: parsed.PUBLIC_URL,
    maxBodyBytes: parsed.MAX_BODY_BYTES,
    trackRateLimit: parsed.TRACK_RATE_LIMIT,
    trackCacheMs: parsed.TRACK_CACHE_MS,
    // Plain http stays refused even then: signed events should not cross a network in the clear.
    webhookTargets: { ...strictWebhookTargets, allowPrivate: parsed.WEBHOOK_ALLOW_PRIVATE === "1" },
    authFailureLimit: parsed.AUTH_FAILURE_LIMIT,
    trustProxy: parsed.TRUST_PROXY,
    vapidKeys: parsed.VAPID_PUBLIC_KEY && parsed.VAPID_PRIVATE_KEY ? { publicKey: parsed.VAPID_PUBLIC_KEY, privateKey: parsed.VAPID_PRIVATE_KEY } : undefined,
    vapidSubject: parsed.VAPID_SUBJECT ?? (parsed.PUBLIC_URL?.startsWith("https://") ? parsed.PUBLIC_URL : undefined),
    pushTargets: strictWebhookTargets,
  };
}

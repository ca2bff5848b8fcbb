import { z } from "zod";
import { type TrustProxy, parseTrustProxy } from "./lib/client-address";

// Read once at the edge of the process (server.ts, worker.ts); nothing else
// reads the environment.
const configSchema = z.object({
  ADMIN_TOKEN: z.string().min(16, "ADMIN_TOKEN must be at least 16 characters").optional(),
  PUBLIC_URL: z.url().optional(),
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(1_048_576),
  TRACK_RATE_LIMIT: z.coerce.number().int().positive().default(60),
  AUTH_FAILURE_LIMIT: z.coerce.number().int().positive().default(20),
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((value, ctx) => {
      try {
        return parseTrustProxy(value);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
        return z.NEVER;
      }
    }),
});

export type Config = {
  adminToken?: string;
  /** Base for links handed out (share links); falls back to the request's origin. */
  publicUrl?: string;
  maxBodyBytes: number;
  /** Owner status requests per client and minute. */
  trackRateLimit: number;
  /** Failed authentications (unknown or revoked key or device token) per client and minute. */
  authFailureLimit: number;
  /** The forwarding header to believe and the proxies it is believed from; none by default. */
  trustProxy?: TrustProxy;
};

export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = configSchema.parse(cleaned);
  return {
    adminToken: parsed.ADMIN_TOKEN,
    publicUrl: parsed.PUBLIC_URL,
    maxBodyBytes: parsed.MAX_BODY_BYTES,
    trackRateLimit: parsed.TRACK_RATE_LIMIT,
    authFailureLimit: parsed.AUTH_FAILURE_LIMIT,
    trustProxy: parsed.TRUST_PROXY,
  };
}

import { z } from "zod";

// Read once at the edge of the process (server.ts, worker.ts); nothing else
// reads the environment.
const configSchema = z.object({
  ADMIN_TOKEN: z.string().min(16, "ADMIN_TOKEN must be at least 16 characters").optional(),
  PUBLIC_URL: z.url().optional(),
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(1_048_576),
  TRACK_RATE_LIMIT: z.coerce.number().int().positive().default(60),
});

export type Config = {
  adminToken?: string;
  /** Base for links handed out (share links); falls back to the request's origin. */
  publicUrl?: string;
  maxBodyBytes: number;
  /** Owner status requests per client and minute. */
  trackRateLimit: number;
};

export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = configSchema.parse(cleaned);
  return {
    adminToken: parsed.ADMIN_TOKEN,
    publicUrl: parsed.PUBLIC_URL,
    maxBodyBytes: parsed.MAX_BODY_BYTES,
    trackRateLimit: parsed.TRACK_RATE_LIMIT,
  };
}

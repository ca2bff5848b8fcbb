import { createApp } from "./app";
import { type Config, parseConfig } from "./config";
import { connectPostgres } from "./db/postgres";
import { systemClock } from "./lib/clock";
import { type EdgeCache, isEdgeCacheable, withEdgeCache } from "./lib/edge-cache";
import { ApiError, problemResponse } from "./lib/problem";
import { type PrincipalCache, principalCache } from "./lib/principal-cache";
import { strictWebhookTargets } from "./lib/public-address";
import { type RateLimitStores, memoryRateLimitStores } from "./lib/rate-limits";
import { type OwnerAnswers, ownerAnswerCache } from "./services/owner-answers";
import { tickAll } from "./services/clock-tick";
import { type KnownIssueCache, knownIssueCache } from "./services/known-issue-cache";
import { deliverDueWebhooks } from "./services/webhooks";
import { deliverPushes } from "./services/push-sender";

// The Cloudflare Workers entry: like src/server.ts it only builds the
// dependencies of createApp. Nothing here may import src/node/* or
// src/server.ts (PGlite, node:fs): the Worker bundle must stay free of them.

/** The bindings declared in wrangler.toml, plus vars and secrets (`wrangler secret put`). */
export type Env = {
  HYPERDRIVE: { connectionString: string };
  [name: string]: unknown;
};

type ExecutionContext = { waitUntil(promise: Promise<unknown>): void };
// The Workers runtime's Cache API; absent elsewhere (the type says so).
declare const caches: { default: EdgeCache } | undefined;
type ScheduledController = { cron: string; scheduledTime: number };

// Per isolate, not per request: the rate limits must see every request this
// isolate serves (each isolate counts on its own; see README).
let rateLimitStores: RateLimitStores | undefined;
// Owner answers too: a refresh storm hits one isolate many times (README, scale-out).
let ownerAnswers: OwnerAnswers | undefined;
let knownIssues: KnownIssueCache | undefined;
// Keys and device tokens, so a gateway's requests skip the key lookup (revocations elsewhere: lib/principal-cache.ts).
let principals: PrincipalCache | undefined;

function connect(env: Env) {
  // One postgres.js client per request or cron run, as Cloudflare recommends:
  // Hyperdrive keeps the pool to Postgres, so connecting to it is cheap, and
  // Workers refuse to use one request's sockets from another request anyway.
  // max 5: a Worker invocation may hold at most 6 open connections.
  // prepare stays on: Hyperdrive supports postgres.js's named prepared
  // statements and caches them; with prepare off postgres.js sends extra
  // describe messages per query, which Hyperdrive's transaction pooling does
  // not reliably support (Cloudflare warns of hangs and intermittent failures).
  return connectPostgres(env.HYPERDRIVE.connectionString, { max: 5, prepare: true });
}

/** Vars and secrets are strings; bindings (HYPERDRIVE, ASSETS) are not config. */
function readConfig(env: Env): Config {
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (typeof value === "string") vars[name] = value;
  return parseConfig(vars);
}

/**
 * Closes the client once the response body has been sent, not when fetch
 * returns: streamed responses (the NDJSON import) still run queries while the
 * body flows. A client that hangs up ends the pipe too, so the close still runs.
 */
function closeAfterBody(response: Response, close: () => Promise<void>, ctx: ExecutionContext): Response {
  if (!response.body) {
    ctx.waitUntil(close());
    return response;
  }
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  ctx.waitUntil(response.body.pipeTo(writable).catch(() => {}).then(close));
  return new Response(readable, response);
}

/** One API or page request through the app, on its own database client. */
async function answer(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  let config: Config;
  try {
    config = readConfig(env);
  } catch (error) {
    // A bad secret is an operator error: say so, do not serve with half a config.
    console.error("invalid Worker configuration", error);
    return problemResponse(new ApiError("internal", "The service is misconfigured; nothing was changed."));
  }
  const { db, close } = connect(env);
  rateLimitStores ??= memoryRateLimitStores();
  ownerAnswers ??= ownerAnswerCache({ clock: systemClock, maxAgeMs: config.trackCacheMs });
  knownIssues ??= knownIssueCache({ clock: systemClock });
  principals ??= principalCache({ clock: systemClock });
  // Cloudflare sets cf-connecting-ip to the peer it saw and overwrites any the client sent.
  const app = createApp({ db, clock: systemClock, config, rateLimitStores, ownerAnswers, knownIssues, principals, connectionAddress: (c) => c.req.header("cf-connecting-ip") });
  let response: Response;
  try {
    response = await app.fetch(request);
  } catch (error) {
    ctx.waitUntil(close());
    throw error;
  }
  return closeAfterBody(response, close, ctx);
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    // The public rollout answers are cached at the edge for their max-age (src/lib/edge-cache.ts).
    if (typeof caches !== "undefined" && caches && isEdgeCacheable(request)) {
      const cache = caches.default;
      return withEdgeCache(request, cache, (p) => ctx.waitUntil(p), () => answer(request, env, ctx));
    }
    return answer(request, env, ctx);
  },

  /** The cron trigger (wrangler.toml): a beat of the rollout clock, and the webhook outbox. */
  async scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    // Workers have no DNS API, so webhook hosts are judged by their URL only
    // (no resolveHost, at subscription either): Workers' fetch cannot reach
    // private networks or the metadata endpoints anyway, whatever a name resolves to.
    let targets = strictWebhookTargets;
    let config: Config | undefined;
    try {
      config = readConfig(env);
      targets = config.webhookTargets;
    } catch (error) {
      // The clock must keep running; webhooks then go out under the strict default.
      console.error("invalid Worker configuration", error);
    }
    const { db, close } = connect(env);
    const now = systemClock.now();
    try {
      // Side by side and apart: a failing delivery must not stop the clock, nor the reverse.
      // Push needs the VAPID keys of a valid configuration; without one its messages wait for the next run.
      const [tick, webhooks, push] = await Promise.allSettled([
        tickAll({ db, now }),
        deliverDueWebhooks({ db, now, targets }),
        config ? deliverPushes({ db, now, config }) : Promise.resolve({ skipped: "invalid configuration" }),
      ]);
      const outcome = (r: PromiseSettledResult<unknown>) => (r.status === "fulfilled" ? r.value : { error: String(r.reason) });
      // One line per run in `wrangler tail` / Workers Logs.
      console.log(JSON.stringify({ cron: controller.cron, tick: outcome(tick), webhooks: outcome(webhooks), push: outcome(push) }));
      // Rethrown so the run shows as failed in the Cron Events.
      for (const r of [tick, webhooks, push]) if (r.status === "rejected") throw r.reason;
    } finally {
      ctx.waitUntil(close());
    }
  },
};

import { createApp } from "./app";
import { type Config, parseConfig } from "./config";
import { connectPostgres } from "./db/postgres";
import { systemClock } from "./lib/clock";
import { ApiError, problemResponse } from "./lib/problem";
import { tickAll } from "./services/rollout-clock";

// The Cloudflare Workers entry: like src/server.ts it only builds the
// dependencies of createApp. Nothing here may import src/node/* or
// src/server.ts (PGlite, node:fs): the Worker bundle must stay free of them.

/** The bindings declared in wrangler.toml, plus vars and secrets (`wrangler secret put`). */
export type Env = {
  HYPERDRIVE: { connectionString: string };
  [name: string]: unknown;
};

type ExecutionContext = { waitUntil(promise: Promise<unknown>): void };
type ScheduledController = { cron: string; scheduledTime: number };

function connect(env: Env) {
  // One postgres.js client per request or cron run, as Cloudflare recommends:
  // Hyperdrive keeps the pool to Postgres, so connecting to it is cheap, and a
  // client's sockets cannot outlive the request that opened them anyway.
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

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    let config: Config;
    try {
      config = readConfig(env);
    } catch (error) {
      // A bad secret is an operator error: say so, do not serve with half a config.
      console.error("invalid Worker configuration", error);
      return problemResponse(new ApiError("internal", "The service is misconfigured; nothing was changed."));
    }
    const { db, close } = connect(env);
    const app = createApp({ db, clock: systemClock, config });
    let response: Response;
    try {
      response = await app.fetch(request);
    } catch (error) {
      ctx.waitUntil(close());
      throw error;
    }
    return closeAfterBody(response, close, ctx);
  },

  /** The rollout clock: one tick for every rolling-out release, on the cron in wrangler.toml. */
  async scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    const { db, close } = connect(env);
    try {
      const results = await tickAll({ db, now: systemClock.now() });
      // One line per run in `wrangler tail` / Workers Logs; a failed release is an error there.
      console.log(JSON.stringify({ cron: controller.cron, tick: results }));
    } finally {
      ctx.waitUntil(close());
    }
  },
};

import { type HttpBindings, getRequestListener, serve } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { type RequestListener, type ServerOptions, createServer } from "node:http";
import { Hono } from "hono";
import { compress } from "hono/compress";
import { createApp } from "./app";
import { parseConfig } from "./config";
import { systemClock } from "./lib/clock";
import { principalCache } from "./lib/principal-cache";
import { isDriverFault } from "./lib/db-errors";
import { openDatabase } from "./node/database";
import { redisRateLimitStores } from "./node/redis-stores";
import { startDemo } from "./node/demo";
import { serveWebPages } from "./node/web-pages";
import { ownerLane } from "./node/owner-lane";
import { guardedFetch, resolveWithDns } from "./node/guarded-fetch";
import { tickAll } from "./services/clock-tick";
import { deliverDueWebhooks } from "./services/webhooks";
import { deliverPushes } from "./services/push-sender";
import { vapidKeys } from "./services/vapid-keys";

// The Node entry: read the environment once, build the dependencies, serve.
const env = process.env;
const port = Number(env.PORT ?? 8787);
const parsed = parseConfig(env);
// Share links must never follow the Host header; without PUBLIC_URL they point at this server.
const config = { ...parsed, publicUrl: parsed.publicUrl ?? `http://localhost:${port}` };
const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR ?? "./data" });

// Once serving, the database going away must not take the server with it: a
// driver error no request awaited is logged and the pool reconnects. Anything
// else (or a database that cannot be opened at all, above) still stops the
// process, as Node would, so a supervisor restarts it.
process.on("unhandledRejection", (reason) => {
  if (!isDriverFault(reason)) throw reason;
  console.error("database driver (unhandled rejection):", reason instanceof Error ? reason.message : reason);
});
process.on("uncaughtException", (error) => {
  if (!isDriverFault(error)) {
    console.error(error);
    process.exit(1);
  }
  console.error("database driver (uncaught exception):", error.message);
});

// With REDIS_URL, instances behind one load balancer share their rate-limit counts.
const rateLimitStores = env.REDIS_URL ? await redisRateLimitStores(env.REDIS_URL, env.REDIS_PREFIX ?? "rollout:") : undefined;
// Shared with the demo, which revokes its previous keys: this instance then forgets them at once.
const principals = principalCache({ clock: systemClock });
const app = createApp({
  db: database.db,
  clock: systemClock,
  config,
  rateLimitStores,
  principals,
  // The socket's peer; in-process requests (the demo simulator) have none.
  connectionAddress: (c) => ((c.env as HttpBindings | undefined)?.incoming ? getConnInfo(c).remote.address : undefined),
  resolveHost: resolveWithDns,
  // Owners' reads are answered at the socket (src/node/owner-lane.ts, below).
  ownerReadsAt: "socket",
});
// The pages and their files (web/ compiled into dist/web); Workers serve the same folder as static assets.
serveWebPages(app);
// Pages, /openapi.json and /docs go out gzipped to clients that accept it (static files carry their own
// .br/.gz). Not /v1: compressing turns a strong ETag weak, and If-Match on a re-plan needs it strong.
// An outer app, because createApp has already registered its routes and middleware runs in order.
const site = new Hono<{ Bindings: HttpBindings }>();
const gzip = compress();
site.use((c, next) => (c.req.path.startsWith("/v1/") ? next() : gzip(c, next)));
site.all("*", (c) => app.fetch(c.req.raw, c.env));

const baseUrl = config.publicUrl;
// The demo fleet and its simulator: only on an empty (or demo) database, never with SEED_DEMO=0.
const demo = env.SEED_DEMO === "0" ? null : await startDemo({ app, db: database.db, baseUrl, principals });

// Owners' reads are answered at the socket, ahead of both apps (src/node/owner-lane.ts); the rest of
// the API goes to the API app directly, and only pages and their files through the outer app.
const api = getRequestListener(app.fetch);
const frontDoor = ((options: ServerOptions, pages: RequestListener) =>
  createServer(
    options,
    ownerLane(app.ownerReadAhead, config.trustProxy, (req, res) => (req.url?.startsWith("/v1/") ? api(req, res) : pages(req, res))),
  )) as typeof createServer;
const httpServer = serve({ fetch: site.fetch, port, createServer: frontDoor }, () => {
  console.log(`Rollout tracker on ${database.kind === "pglite" ? `PGlite (${env.DATA_DIR ?? "./data"})` : "Postgres"}`);
  if (demo) {
    console.log("Demo fleet rolling out (SEED_DEMO=0 turns it off):");
    console.log(`  An owner's tracking link:      ${demo.ownerUrl}`);
    console.log(`  Console key, release manager: ${demo.keys.manager}`);
    console.log(`  Console key, support:         ${demo.keys.support}`);
  }
  if (!config.adminToken) console.log("No ADMIN_TOKEN set: set one to create API keys (POST /v1/keys).");
  if (!parsed.publicUrl) console.warn(`PUBLIC_URL is not set: share links point to ${baseUrl}; set it to the address owners reach.`);
  if (config.webhookTargets.allowPrivate) console.warn("WEBHOOK_ALLOW_PRIVATE=1: webhooks may reach private and loopback addresses.");
  console.log(`  Owner page: ${baseUrl}/`);
  console.log(`  Console:    ${baseUrl}/console`);
  console.log(`  Rollout:    ${baseUrl}/releases`);
  console.log(`  API docs:   ${baseUrl}/docs`);
  // Printed last: tools that start the server wait for this line.
  console.log(`  Health:     ${baseUrl}/healthz`);
});

/** Runs `job` every `ms`, never overlapping itself; a failure is logged, not fatal. */
function every(ms: number, name: string, job: () => Promise<unknown>) {
  let running = false;
  return setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await job();
    } catch (error) {
      console.error(`${name}:`, error instanceof Error ? error.message : error);
    } finally {
      running = false;
    }
  }, ms);
}

// The rollout clock and the webhook and push outboxes (Workers run them from a cron trigger instead).
// Deliveries check each target's addresses before sending and again as they connect.
const targets = config.webhookTargets;
const webhookFetch = guardedFetch(targets);
const pushFetch = guardedFetch(config.pushTargets);
// Generated and kept now when none are configured, so the first owner to subscribe finds them.
await vapidKeys(database.db, config.vapidKeys);
const tickMs = Math.max(1, Number(env.TICK_SECONDS ?? 15)) * 1000;
const timers = [
  every(tickMs, "rollout clock", () => tickAll({ db: database.db, now: systemClock.now() })),
  every(10_000, "webhooks", () =>
    deliverDueWebhooks({ db: database.db, now: systemClock.now(), targets, resolve: resolveWithDns, fetch: webhookFetch }),
  ),
  every(10_000, "push", () => deliverPushes({ db: database.db, now: systemClock.now(), config, resolve: resolveWithDns, fetch: pushFetch })),
];

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  for (const timer of timers) clearInterval(timer);
  if (demo) clearInterval(demo.timer);
  httpServer.close();
  await database.close();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);

import { serve } from "@hono/node-server";
import { serveStatic } from "@hono/node-server/serve-static";
import { createApp } from "./app";
import { parseConfig } from "./config";
import { systemClock } from "./lib/clock";
import { openDatabase } from "./node/database";
import { tickAll } from "./services/rollout-clock";

// The Node entry: read the environment once, build the dependencies, serve.
const env = process.env;
const config = parseConfig(env);
const port = Number(env.PORT ?? 8787);
const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR ?? "./data" });

const app = createApp({ db: database.db, clock: systemClock, config });
// Built web assets (web/ compiled into dist/web); Workers serve the same folder as static assets.
app.use("/assets/*", serveStatic({ root: "./dist/web" }));

const httpServer = serve({ fetch: app.fetch, port }, (info) => {
  const base = `http://localhost:${info.port}`;
  console.log(`Rollout tracker on ${database.kind === "pglite" ? `PGlite (${env.DATA_DIR ?? "./data"})` : "Postgres"}`);
  console.log(`  API:      ${base}/v1`);
  console.log(`  API docs: ${base}/docs`);
  console.log(`  Health:   ${base}/healthz`);
  if (!config.adminToken) console.log("  No ADMIN_TOKEN set: set one to create API keys (POST /v1/keys).");
});

// The rollout clock: one beat every TICK_SECONDS (Workers use a cron trigger instead).
const tickMs = Math.max(1, Number(env.TICK_SECONDS ?? 15)) * 1000;
let ticking = false;
const clockTimer = setInterval(async () => {
  if (ticking) return; // a slow beat is never overlapped by the next
  ticking = true;
  try {
    await tickAll({ db: database.db, now: systemClock.now() });
  } catch (error) {
    console.error("rollout clock:", error);
  } finally {
    ticking = false;
  }
}, tickMs);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  clearInterval(clockTimer);
  httpServer.close();
  await database.close();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);

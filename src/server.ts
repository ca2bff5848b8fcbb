import { serve } from "@hono/node-server";
import { serveStatic } from "@hono/node-server/serve-static";
import { createApp } from "./app";
import { parseConfig } from "./config";
import { systemClock } from "./lib/clock";
import { openDatabase } from "./node/database";

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

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  httpServer.close();
  await database.close();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);

// The ceiling: the smallest Hono JSON route on @hono/node-server, started the
// same way as the server under test (node + tsx, pinned to the same core), so a
// ratio against it cancels out this machine's speed of the moment.
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const app = new Hono().get("/json", (c) => c.json({ ok: true }));
const port = Number(process.argv[2] ?? 55801);
serve({ fetch: app.fetch, port }, () => console.log(`  Health:     http://127.0.0.1:${port}/json`));

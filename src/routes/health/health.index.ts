import { createRoute, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { createRouter } from "../../lib/create-router";
import { errorResponse, jsonResponse } from "../common.schemas";

const healthz = createRoute({
  method: "get",
  path: "/healthz",
  operationId: "getHealth",
  tags: ["Health"],
  summary: "Liveness and database reachability",
  security: [],
  responses: {
    200: jsonResponse(z.object({ status: z.literal("ok"), database: z.literal("ok") }).openapi("Health"), "Up"),
    // Never for a plain GET; declared so clients know the shape of any client error here.
    "4XX": errorResponse("Any client error (for example another method: 405 with Allow), as problem+json"),
    503: errorResponse("The database cannot be reached"),
  },
});

export const healthRouter = createRouter().openapi(healthz, async (c) => {
  // A failure here surfaces through onError as 503 with Retry-After.
  await c.var.db.execute(sql`select 1`);
  return c.json({ status: "ok" as const, database: "ok" as const }, 200);
});

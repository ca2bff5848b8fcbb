import { createRoute } from "@hono/zod-openapi";
import { errorResponse, jsonResponse } from "../common.schemas";
import { Health } from "./health.schemas";

export const getHealth = createRoute({
  method: "get",
  path: "/healthz",
  operationId: "getHealth",
  tags: ["Health"],
  summary: "Liveness and database reachability",
  security: [],
  responses: {
    200: jsonResponse(Health, "Up"),
    // Never for a plain GET; declared so clients know the shape of any client error here.
    "4XX": errorResponse("Any client error (for example another method: 405 with Allow), as problem+json"),
    503: errorResponse("The database cannot be reached"),
  },
});

export type GetHealthRoute = typeof getHealth;

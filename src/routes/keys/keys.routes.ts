import { createRoute } from "@hono/zod-openapi";
import { requireRole } from "../../lib/auth";
import { bearer, commonErrors, jsonBody, jsonResponse } from "../common.schemas";
import { CreateKeyBody, CreatedKey } from "./keys.schemas";

export const createKey = createRoute({
  method: "post",
  path: "/v1/keys",
  operationId: "createKey",
  tags: ["Keys"],
  summary: "Create an API key",
  security: bearer,
  middleware: [requireRole("admin")] as const,
  request: { body: jsonBody(CreateKeyBody) },
  responses: { 201: jsonResponse(CreatedKey, "The key; its token is shown once"), ...commonErrors },
});

export type CreateKeyRoute = typeof createKey;

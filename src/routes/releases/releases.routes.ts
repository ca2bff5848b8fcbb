import { createRoute, z } from "@hono/zod-openapi";
import { requireRole } from "../../lib/auth";
import { VersionParams, bearer, commonErrors, errorResponse, jsonBody, jsonResponse } from "../common.schemas";
import { CreateReleaseBody, ReleaseSchema } from "./releases.schemas";

const etagHeader = { ETag: { schema: { type: "string" as const }, description: "Send back as If-Match when changing the plan" } };

export const createRelease = createRoute({
  method: "post",
  path: "/v1/releases",
  operationId: "createRelease",
  tags: ["Releases"],
  summary: "Create a release (draft)",
  security: bearer,
  middleware: [requireRole("release_manager")] as const,
  request: { body: jsonBody(CreateReleaseBody) },
  responses: {
    201: { ...jsonResponse(ReleaseSchema, "The new draft release"), headers: etagHeader },
    409: errorResponse("A release with this version exists"),
    ...commonErrors,
  },
});

export const listReleases = createRoute({
  method: "get",
  path: "/v1/releases",
  operationId: "listReleases",
  tags: ["Releases"],
  summary: "All releases, newest version first, with waves, state and counts",
  security: bearer,
  middleware: [requireRole("release_manager", "support")] as const,
  responses: { 200: jsonResponse(z.object({ releases: z.array(ReleaseSchema) }), "Releases"), ...commonErrors },
});

export const getRelease = createRoute({
  method: "get",
  path: "/v1/releases/{version}",
  operationId: "getRelease",
  tags: ["Releases"],
  summary: "One release with waves, state and counts",
  security: bearer,
  middleware: [requireRole("release_manager", "support")] as const,
  request: { params: VersionParams },
  responses: {
    200: { ...jsonResponse(ReleaseSchema, "The release"), headers: etagHeader },
    404: errorResponse("No such release"),
    ...commonErrors,
  },
});

export type CreateReleaseRoute = typeof createRelease;
export type ListReleasesRoute = typeof listReleases;
export type GetReleaseRoute = typeof getRelease;

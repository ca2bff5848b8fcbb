import { createRoute, z } from "@hono/zod-openapi";
import { requireRole } from "../../lib/auth";
import { VersionParams, bearer, commonErrors, errorResponse, jsonBody, jsonResponse } from "../common.schemas";
import { CreateReleaseBody, ReleaseSchema, UpdateReleaseBody } from "./releases.schemas";

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

export const updateRelease = createRoute({
  method: "patch",
  path: "/v1/releases/{version}",
  operationId: "updateRelease",
  tags: ["Releases"],
  summary: "Edit what owners read about a release: notes and the UN R156 fields (If-Match required)",
  description:
    "In any state, so a correction reaches owners mid-rollout. Only the fields sent change; `null` clears an optional field. " +
    "Localized fields take a plain string or {\"en\": …, \"nl\": …, \"de\": …} and replace the whole value. Audited.",
  security: bearer,
  middleware: [requireRole("release_manager")] as const,
  request: {
    params: VersionParams,
    headers: z.object({ "if-match": z.string().optional().openapi({ description: "The release's ETag" }) }),
    body: jsonBody(UpdateReleaseBody),
  },
  responses: {
    200: { ...jsonResponse(ReleaseSchema, "The release after the edit"), headers: etagHeader },
    404: errorResponse("No such release"),
    412: errorResponse("The If-Match ETag is stale"),
    428: errorResponse("If-Match is missing"),
    ...commonErrors,
  },
});

export type UpdateReleaseRoute = typeof updateRelease;
export type CreateReleaseRoute = typeof createRelease;
export type ListReleasesRoute = typeof listReleases;
export type GetReleaseRoute = typeof getRelease;

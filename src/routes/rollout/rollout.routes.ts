import { createRoute, z } from "@hono/zod-openapi";
import { requireRole } from "../../lib/auth";
import { VersionParams, bearer, commonErrors, errorResponse, jsonBody, jsonResponse } from "../common.schemas";
import { ReleaseSchema } from "../releases/releases.schemas";
import { DryRunSchema, HaltBody, PauseBody, ProgressSchema, QueuePage, QueueQuery, WavePlanBody } from "./rollout.schemas";

const managers = requireRole("release_manager");
const readers = requireRole("release_manager", "support");
const etag = { ETag: { schema: { type: "string" as const } } };
const releaseResponse = { ...jsonResponse(ReleaseSchema, "The release after the change"), headers: etag };
const stateErrors = { 404: errorResponse("No such release"), 409: errorResponse("Not allowed in the release's current state"), ...commonErrors };

export const replaceWaves = createRoute({
  method: "put",
  path: "/v1/releases/{version}/waves",
  operationId: "replaceWavePlan",
  tags: ["Rollout"],
  summary: "Replace the wave plan (If-Match required); ?dryRun=true previews the impact",
  description:
    "Waves are cut points on the queue: re-planning moves cut points and never rewrites queue rows. A plan that would take " +
    "back an update already offered, or that drops a done wave or moves its cut point (its vehicles were offered as that wave), " +
    "is refused with 409. With dryRun nothing is applied (If-Match optional).",
  security: bearer,
  middleware: managers,
  request: {
    params: VersionParams,
    query: z.object({ dryRun: z.enum(["true", "false"]).optional() }),
    headers: z.object({ "if-match": z.string().optional().openapi({ description: "The release's ETag" }) }),
    body: jsonBody(WavePlanBody),
  },
  responses: {
    200: { description: "The release with its new plan, or the preview", content: { "application/json": { schema: z.union([ReleaseSchema, DryRunSchema]) } }, headers: etag },
    412: errorResponse("The If-Match ETag is stale"),
    428: errorResponse("If-Match is missing"),
    ...stateErrors,
  },
});

const transition = <A extends string>(action: A, summary: string) => ({
  method: "post" as const,
  path: `/v1/releases/{version}/${action}` as const,
  operationId: `${action}Release`,
  tags: ["Rollout"],
  summary,
  security: bearer,
  middleware: managers,
  responses: { 200: releaseResponse, ...stateErrors },
});

export const start = createRoute({
  ...transition("start", "Start: build the queue and open the first wave when due"),
  request: { params: VersionParams },
});
export const resume = createRoute({ ...transition("resume", "Resume the clock"), request: { params: VersionParams } });
export const advance = createRoute({
  ...transition("advance", "Open the next wave now (on the last wave: complete)"),
  request: { params: VersionParams },
});
export const pause = createRoute({
  ...transition("pause", "Pause the clock, with a public message for owners"),
  request: { params: VersionParams, body: jsonBody(PauseBody) },
});
export const halt = createRoute({
  ...transition("halt", "Halt for good: cancels every update not yet offered"),
  request: { params: VersionParams, body: jsonBody(HaltBody) },
});

export const progress = createRoute({
  method: "get",
  path: "/v1/releases/{version}/progress",
  operationId: "getReleaseProgress",
  tags: ["Rollout"],
  summary: "Per-wave progress, failure rates, cases, installs over time and forecast",
  description: "Answers are reused for at most 1 s per release (counted from their read), so many dashboards cost one read a second; this server's own rollout actions show at once.",
  security: bearer,
  middleware: readers,
  request: { params: VersionParams },
  responses: { 200: jsonResponse(ProgressSchema, "Progress"), 404: errorResponse("No such release"), ...commonErrors },
});

export const queue = createRoute({
  method: "get",
  path: "/v1/releases/{version}/queue",
  operationId: "listReleaseQueue",
  tags: ["Rollout"],
  summary: "Queue entries in position order, paged by cursor",
  security: bearer,
  middleware: readers,
  request: { params: VersionParams, query: QueueQuery },
  responses: { 200: jsonResponse(QueuePage, "A page of the queue"), 404: errorResponse("No such release"), ...commonErrors },
});

export type ReplaceWavesRoute = typeof replaceWaves;
export type StartRoute = typeof start;
export type ResumeRoute = typeof resume;
export type AdvanceRoute = typeof advance;
export type PauseRoute = typeof pause;
export type HaltRoute = typeof halt;
export type ProgressRoute = typeof progress;
export type QueueRoute = typeof queue;

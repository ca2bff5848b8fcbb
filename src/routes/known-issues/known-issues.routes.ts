import { createRoute } from "@hono/zod-openapi";
import { requireRole } from "../../lib/auth";
import { VersionParams, bearer, commonErrors, errorResponse, jsonBody, jsonResponse } from "../common.schemas";
import {
  CreateKnownIssueBody,
  KnownIssueLangQuery,
  KnownIssueListSchema,
  KnownIssueParams,
  KnownIssueSchema,
  UpdateKnownIssueBody,
} from "./known-issues.schemas";

const editors = requireRole("release_manager", "support");

export const createKnownIssue = createRoute({
  method: "post",
  path: "/v1/releases/{version}/known-issues",
  operationId: "createKnownIssue",
  tags: ["Known issues"],
  summary: "Publish a known issue of a release",
  description:
    "Title and body are localized (a string, or per language with `en` required); owners read them on their page. " +
    "`fixedIn` must be newer than the release. Audited, and sent to webhooks as `known_issue.created`.",
  security: bearer,
  middleware: editors,
  request: { params: VersionParams, body: jsonBody(CreateKnownIssueBody) },
  responses: {
    201: jsonResponse(KnownIssueSchema, "The issue as written, with its id and report counts"),
    404: errorResponse("No such release"),
    409: errorResponse("fixedIn is not newer than the release"),
    ...commonErrors,
  },
});

export const updateKnownIssue = createRoute({
  method: "patch",
  path: "/v1/known-issues/{id}",
  operationId: "updateKnownIssue",
  tags: ["Known issues"],
  summary: "Change a known issue's status, text, fixedIn or error codes",
  description: "Only the fields sent change (`fixedIn: null` clears it). Audited with before and after, and sent to webhooks as `known_issue.updated`.",
  security: bearer,
  middleware: editors,
  request: { params: KnownIssueParams, body: jsonBody(UpdateKnownIssueBody) },
  responses: {
    200: jsonResponse(KnownIssueSchema, "The issue after the change"),
    404: errorResponse("No such known issue"),
    409: errorResponse("fixedIn is not newer than the issue's release"),
    ...commonErrors,
  },
});

export const listKnownIssues = createRoute({
  method: "get",
  path: "/v1/releases/{version}/known-issues",
  operationId: "listKnownIssues",
  tags: ["Known issues"],
  // Public: what owners may read anyway, without VINs or codes.
  security: [],
  summary: "A release's known issues with their report counts, in the reader's language",
  description:
    "`reports` counts the cars reporting an issue: support cases linked to it plus cars of the release whose `failed` report " +
    "carries one of its error codes (a car with both counts once). Title and body in the language of `?lang=` or `Accept-Language`, English where missing.",
  request: { params: VersionParams, query: KnownIssueLangQuery },
  responses: {
    200: jsonResponse(KnownIssueListSchema, "The release's known issues, oldest first"),
    400: errorResponse("Not a version or language tag"),
    404: errorResponse("No such release"),
    503: errorResponse("The database cannot be reached"),
  },
});

export type CreateKnownIssueRoute = typeof createKnownIssue;
export type UpdateKnownIssueRoute = typeof updateKnownIssue;
export type ListKnownIssuesRoute = typeof listKnownIssues;

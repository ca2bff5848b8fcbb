import { createRouter } from "../../lib/create-router";
import * as handlers from "./known-issues.handlers";
import * as routes from "./known-issues.routes";

export const knownIssuesRouter = createRouter()
  .openapi(routes.createKnownIssue, handlers.createKnownIssue)
  .openapi(routes.updateKnownIssue, handlers.updateKnownIssue)
  .openapi(routes.listKnownIssues, handlers.listKnownIssues);

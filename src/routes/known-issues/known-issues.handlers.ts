import type { Context } from "hono";
import { negotiateLanguageTag } from "../../domain/locale-negotiation";
import { pickLocalized } from "../../domain/localized-text";
import { actorName } from "../../domain/roles";
import { keyHolder } from "../../lib/auth";
import type { AppEnv } from "../../lib/env";
import { type AppRouteHandler, jsonified } from "../../lib/types";
import * as knownIssues from "../../services/known-issues";
import type { CreateKnownIssueRoute, ListKnownIssuesRoute, UpdateKnownIssueRoute } from "./known-issues.routes";

const who = (c: Context<AppEnv>) => ({ db: c.var.db, now: c.var.clock.now(), actor: actorName(keyHolder(c.var.principal)) });

export const createKnownIssue: AppRouteHandler<CreateKnownIssueRoute> = async (c) => {
  const issue = await knownIssues.createKnownIssue({ ...who(c), version: c.req.valid("param").version, input: c.req.valid("json") });
  // Owners on this instance see it on their next read, not after the cache bound.
  c.var.knownIssues.forget(issue.version);
  c.header("Location", `/v1/known-issues/${issue.id}`);
  return c.json(jsonified(issue), 201);
};

export const updateKnownIssue: AppRouteHandler<UpdateKnownIssueRoute> = async (c) => {
  const issue = await knownIssues.updateKnownIssue({ ...who(c), id: c.req.valid("param").id, patch: c.req.valid("json") });
  c.var.knownIssues.forget(issue.version);
  return c.json(jsonified(issue), 200);
};

export const listKnownIssues: AppRouteHandler<ListKnownIssuesRoute> = async (c) => {
  const { version } = c.req.valid("param");
  const tag = c.req.valid("query").lang ?? negotiateLanguageTag(c.req.header("accept-language") ?? "");
  const issues = await knownIssues.listKnownIssues(c.var.db, version);
  c.header("Vary", "Accept-Language");
  const read = issues.map(({ id, title, body, status, fixedIn, errorCodes, reports, cases, failedVehicles, updatedAt }) => ({
    id,
    title: pickLocalized(title, tag),
    body: pickLocalized(body, tag),
    status,
    fixedIn,
    errorCodes,
    reports,
    cases,
    failedVehicles,
    updatedAt,
  }));
  return c.json(jsonified({ version, knownIssues: read }), 200);
};

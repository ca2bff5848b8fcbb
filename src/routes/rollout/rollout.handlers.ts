import type { Context, TypedResponse } from "hono";
import { createMiddleware } from "hono/factory";
import { actorName } from "../../domain/roles";
import { keyHolder } from "../../lib/auth";
import type { AppEnv } from "../../lib/env";
import type { ResponseHeaders } from "../../lib/response-headers";
import { type AppRouteHandler, type Jsonified, jsonified } from "../../lib/types";
import { type Progress, type ProgressAnswers, cachedProgress } from "../../services/progress";
import { releaseQueue } from "../../services/queue";
import { releaseEtag, type ReleaseView } from "../../services/releases";
import * as rollout from "../../services/rollout";
import { replaceWavePlan } from "../../services/replan";
import { publicView } from "../releases/releases.handlers";
import type {
  AdvanceRoute,
  HaltRoute,
  PauseRoute,
  ProgressRoute,
  QueueRoute,
  ReplaceWavesRoute,
  ResumeRoute,
  StartRoute,
} from "./rollout.routes";

/** Who changes which release, and when. */
const change = (c: Context<AppEnv>, version: string) => ({
  db: c.var.db,
  now: c.var.clock.now(),
  actor: actorName(keyHolder(c.var.principal)),
  version,
});

function respond(c: Context<AppEnv>, release: ReleaseView) {
  c.header("ETag", releaseEtag(release));
  return c.json(publicView(release), 200);
}

export const replaceWaves: AppRouteHandler<ReplaceWavesRoute> = async (c) => {
  const result = await replaceWavePlan({
    ...change(c, c.req.valid("param").version),
    waves: c.req.valid("json").waves,
    ifMatch: c.req.valid("header")["if-match"],
    dryRun: c.req.valid("query").dryRun === "true",
  });
  if (result.dryRun) return c.json(jsonified({ dryRun: true as const, impact: result.impact, waves: result.waves }), 200);
  return respond(c, result.release);
};

export const start: AppRouteHandler<StartRoute> = async (c) =>
  respond(c, await rollout.startRelease(change(c, c.req.valid("param").version)));

export const resume: AppRouteHandler<ResumeRoute> = async (c) =>
  respond(c, await rollout.resumeRelease(change(c, c.req.valid("param").version)));

export const advance: AppRouteHandler<AdvanceRoute> = async (c) =>
  respond(c, await rollout.advanceRelease(change(c, c.req.valid("param").version)));

export const pause: AppRouteHandler<PauseRoute> = async (c) =>
  respond(c, await rollout.pauseRelease({ ...change(c, c.req.valid("param").version), message: c.req.valid("json").message }));

export const halt: AppRouteHandler<HaltRoute> = async (c) =>
  respond(c, await rollout.haltRelease({ ...change(c, c.req.valid("param").version), ...c.req.valid("json") }));

/** What this instance changes about a release shows in its next progress read, not up to a second later. */
export const forgetProgressAfterChange = (answers: ProgressAnswers) =>
  createMiddleware<AppEnv>(async (c, next) => {
    await next();
    // Reads change nothing; the method is checked first so they never decode the path.
    if (c.req.method === "GET" || c.req.method === "HEAD") return;
    const version = c.req.param("version");
    if (version) answers.forget(version);
  });

// A cached answer is sent to every dashboard that polls within its second:
// it is serialized once, not per request (a tenth of a cached read's CPU).
const progressBodies = new WeakMap<Progress, string>();
const bodyOf = (answer: Progress) => {
  let body = progressBodies.get(answer);
  if (body === undefined) progressBodies.set(answer, (body = JSON.stringify(answer)));
  return body;
};

export const progress =
  (answers: ProgressAnswers, json: ResponseHeaders["json"]): AppRouteHandler<ProgressRoute> =>
  async (c) => {
    // c.get, not c.var: hono builds a new object of every variable on each c.var read.
    const answer = await cachedProgress(answers, c.get("db"), c.req.valid("param").version);
    // The body is JSON.stringify of the answer, as c.json would send it; only c.json's type says so.
    return json(c, bodyOf(answer)) as unknown as TypedResponse<Jsonified<Progress>, 200, "json">;
  };

export const queue: AppRouteHandler<QueueRoute> = async (c) =>
  c.json(await releaseQueue(c.var.db, c.req.valid("param").version, c.req.valid("query")), 200);

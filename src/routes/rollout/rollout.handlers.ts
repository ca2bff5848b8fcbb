import type { RouteConfig } from "@hono/zod-openapi";
import type { Context } from "hono";
import { actorName } from "../../domain/roles";
import { keyHolder } from "../../lib/auth";
import type { AppEnv } from "../../lib/env";
import { ApiError } from "../../lib/problem";
import { type AppRouteHandler, jsonified } from "../../lib/types";
import { releaseProgress } from "../../services/progress";
import { listQueue } from "../../services/queue";
import { getRelease, releaseEtag, type ReleaseView } from "../../services/releases";
import * as rollout from "../../services/rollout";
import { replaceWavePlan } from "../../services/wave-plan";
import { publicView } from "../releases/releases.handlers";
import type * as routes from "./rollout.routes";

const change = (c: Context<AppEnv>) => ({
  db: c.var.db,
  now: c.var.clock.now(),
  actor: actorName(keyHolder(c.var.principal)),
  version: c.req.param("version")!,
});

function respond(c: Context<AppEnv>, release: ReleaseView) {
  c.header("ETag", releaseEtag(release));
  return c.json(publicView(release), 200);
}

export const replaceWaves: AppRouteHandler<typeof routes.replaceWaves> = async (c) => {
  const dryRun = c.req.valid("query").dryRun === "true";
  const ifMatch = c.req.valid("header")["if-match"];
  if (!dryRun && ifMatch === undefined) {
    throw new ApiError("precondition_required", "Send If-Match with the release's ETag (from GET /v1/releases/{version}) so no edit is lost.");
  }
  const result = await replaceWavePlan({
    ...change(c),
    plan: c.req.valid("json").waves.map((w) => ({
      name: w.name,
      share: w.share,
      ratePerHour: w.ratePerHour ?? null,
      startAt: w.startAt ? new Date(w.startAt) : null,
      autoAdvance: w.autoAdvance ?? null,
      stopAt: w.stopAt ?? null,
    })),
    ifMatch,
    dryRun,
  });
  if (result.dryRun) return c.json(jsonified({ dryRun: true as const, impact: result.impact, waves: result.waves }), 200);
  return respond(c, result.release);
};

type Transition = (input: ReturnType<typeof change>) => Promise<ReleaseView>;
const transitionHandler = <R extends RouteConfig>(run: Transition): AppRouteHandler<R> =>
  (async (c: Context<AppEnv>) => respond(c, await run(change(c)))) as unknown as AppRouteHandler<R>;

export const start = transitionHandler<typeof routes.start>(rollout.startRelease);
export const resume = transitionHandler<typeof routes.resume>(rollout.resumeRelease);
export const advance = transitionHandler<typeof routes.advance>(rollout.advanceRelease);

export const pause: AppRouteHandler<typeof routes.pause> = async (c) =>
  respond(c, await rollout.pauseRelease({ ...change(c), message: c.req.valid("json").message }));

export const halt: AppRouteHandler<typeof routes.halt> = async (c) =>
  respond(c, await rollout.haltRelease({ ...change(c), ...c.req.valid("json") }));

export const progress: AppRouteHandler<typeof routes.progress> = async (c) =>
  c.json(jsonified(await releaseProgress(c.var.db, c.req.valid("param").version, c.var.clock.now())), 200);

export const queue: AppRouteHandler<typeof routes.queue> = async (c) => {
  const release = await getRelease(c.var.db, c.req.valid("param").version);
  return c.json(await listQueue(c.var.db, release, c.req.valid("query")), 200);
};

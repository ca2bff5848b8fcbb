import type { Context } from "hono";
import { englishOf } from "../../domain/localized-text";
import { actorName } from "../../domain/roles";
import { keyHolder } from "../../lib/auth";
import type { AppEnv } from "../../lib/env";
import { type AppRouteHandler, jsonified } from "../../lib/types";
import { releaseProgress } from "../../services/progress";
import { listQueue } from "../../services/queue";
import { getRelease, releaseEtag, type ReleaseView } from "../../services/releases";
import * as rollout from "../../services/rollout";
import { replaceWavePlan } from "../../services/replan";
import { publicView } from "../releases/releases.handlers";
import type * as routes from "./rollout.routes";

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

export const replaceWaves: AppRouteHandler<typeof routes.replaceWaves> = async (c) => {
  const result = await replaceWavePlan({
    ...change(c, c.req.valid("param").version),
    names: c.req.valid("json").waves.map((w) => w.name),
    plan: c.req.valid("json").waves.map((w) => ({
      name: englishOf(w.name),
      share: w.share,
      ratePerHour: w.ratePerHour ?? null,
      startAt: w.startAt ? new Date(w.startAt) : null,
      autoAdvance: w.autoAdvance ?? null,
      stopAt: w.stopAt ?? null,
    })),
    ifMatch: c.req.valid("header")["if-match"],
    dryRun: c.req.valid("query").dryRun === "true",
  });
  if (result.dryRun) return c.json(jsonified({ dryRun: true as const, impact: result.impact, waves: result.waves }), 200);
  return respond(c, result.release);
};

export const start: AppRouteHandler<typeof routes.start> = async (c) =>
  respond(c, await rollout.startRelease(change(c, c.req.valid("param").version)));

export const resume: AppRouteHandler<typeof routes.resume> = async (c) =>
  respond(c, await rollout.resumeRelease(change(c, c.req.valid("param").version)));

export const advance: AppRouteHandler<typeof routes.advance> = async (c) =>
  respond(c, await rollout.advanceRelease(change(c, c.req.valid("param").version)));

export const pause: AppRouteHandler<typeof routes.pause> = async (c) =>
  respond(c, await rollout.pauseRelease({ ...change(c, c.req.valid("param").version), message: c.req.valid("json").message }));

export const halt: AppRouteHandler<typeof routes.halt> = async (c) =>
  respond(c, await rollout.haltRelease({ ...change(c, c.req.valid("param").version), ...c.req.valid("json") }));

export const progress: AppRouteHandler<typeof routes.progress> = async (c) =>
  c.json(jsonified(await releaseProgress(c.var.db, c.req.valid("param").version, c.var.clock.now())), 200);

export const queue: AppRouteHandler<typeof routes.queue> = async (c) => {
  const release = await getRelease(c.var.db, c.req.valid("param").version);
  return c.json(await listQueue(c.var.db, release, c.req.valid("query")), 200);
};

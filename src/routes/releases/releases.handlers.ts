import { allowedActions } from "../../domain/release-state";
import { actorName } from "../../domain/roles";
import { keyHolder } from "../../lib/auth";
import { type AppRouteHandler, jsonified } from "../../lib/types";
import { type ReleaseView, createRelease as create, getRelease as get, loadReleases, releaseEtag } from "../../services/releases";
import { updateReleaseDetails } from "../../services/release-details";
import type { CreateReleaseRoute, GetReleaseRoute, ListReleasesRoute, UpdateReleaseRoute } from "./releases.routes";

export function publicView(release: ReleaseView) {
  const { id: _id, revision: _r, seed: _s, clockStartedAt: _c, offeredAtClockStart: _o, pausedAt: _p, clock: _clock, queueSize, ...rest } = release;
  const waves = rest.waves.map(({ fullyOfferedAt: _f, soakStartedAt: _s, fullyOfferedThrough: _t, nameLocalized, ...wave }) => ({ ...wave, name: nameLocalized }));
  return jsonified({ ...rest, total: queueSize, waves, allowedActions: allowedActions(release) });
}

export const createRelease: AppRouteHandler<CreateReleaseRoute> = async (c) => {
  const { db, clock } = c.var;
  const release = await create({ db, input: c.req.valid("json"), actor: actorName(keyHolder(c.var.principal)), at: clock.now() });
  c.header("ETag", releaseEtag(release));
  c.header("Location", `/v1/releases/${release.version}`);
  return c.json(publicView(release), 201);
};

export const listReleases: AppRouteHandler<ListReleasesRoute> = async (c) => {
  const releases = await loadReleases(c.var.db);
  return c.json({ releases: releases.map(publicView) }, 200);
};

export const getRelease: AppRouteHandler<GetReleaseRoute> = async (c) => {
  const release = await get(c.var.db, c.req.valid("param").version);
  c.header("ETag", releaseEtag(release));
  return c.json(publicView(release), 200);
};

export const updateRelease: AppRouteHandler<UpdateReleaseRoute> = async (c) => {
  const { db, clock } = c.var;
  const release = await updateReleaseDetails({
    db,
    version: c.req.valid("param").version,
    input: c.req.valid("json"),
    ifMatch: c.req.valid("header")["if-match"],
    actor: actorName(keyHolder(c.var.principal)),
    now: clock.now(),
  });
  c.header("ETag", releaseEtag(release));
  return c.json(publicView(release), 200);
};

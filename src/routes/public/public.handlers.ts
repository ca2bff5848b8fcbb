import type { Context } from "hono";
import { negotiateLanguageTag } from "../../domain/locale-negotiation";
import { publicMaxAgeSeconds } from "../../domain/public-rollout";
import { type AppRouteHandler, jsonified } from "../../lib/types";
import type { PublicRollout } from "../../services/public-rollout";
import type { GetPublicFleetRoute, GetPublicReleaseRoute, ListPublicReleasesRoute } from "./public.routes";

/** ?lang= wins over Accept-Language (the page's language switch); English when neither names one of ours. */
const readerLanguage = (c: Context, lang: string | undefined) => lang ?? negotiateLanguageTag(c.req.header("accept-language") ?? "");

/** Shared by every reader: browsers and edge caches may keep it as long as the server does. */
function publicCache(c: Context, perLanguage: boolean) {
  c.header("Cache-Control", `public, max-age=${publicMaxAgeSeconds}`);
  if (perLanguage) c.header("Vary", "Accept-Language");
}

export const listPublicReleases =
  (rollout: PublicRollout): AppRouteHandler<ListPublicReleasesRoute> =>
  async (c) => {
    const releases = await rollout.releases(readerLanguage(c, c.req.valid("query").lang));
    publicCache(c, true);
    return c.json(jsonified({ releases }), 200);
  };

export const getPublicRelease =
  (rollout: PublicRollout): AppRouteHandler<GetPublicReleaseRoute> =>
  async (c) => {
    const release = await rollout.release(c.req.valid("param").version, readerLanguage(c, c.req.valid("query").lang));
    publicCache(c, true);
    return c.json(jsonified(release), 200);
  };

export const getPublicFleet =
  (rollout: PublicRollout): AppRouteHandler<GetPublicFleetRoute> =>
  async (c) => {
    const fleet = await rollout.fleet();
    publicCache(c, false);
    return c.json(fleet, 200);
  };

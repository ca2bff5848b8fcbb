import { createRoute } from "@hono/zod-openapi";
import { VersionParams, errorResponse, jsonResponse } from "../common.schemas";
import { LangQuery } from "../track/track.schemas";
import { PublicFleetSchema, PublicReleaseSchema, PublicReleasesSchema } from "./public.schemas";

const cached = "Anonymous, the same for every reader of a language: `Cache-Control: public, max-age=30`, so browsers and edge caches share it.";
const localized = "Localized text (notes, wave names, notice) in the language of `?lang=` or `Accept-Language`, English where a text lacks it.";

export const listPublicReleases = createRoute({
  method: "get",
  path: "/v1/public/releases",
  operationId: "listPublicReleases",
  tags: ["Public"],
  security: [],
  summary: "The releases rolling out, paused, or completed in the last 30 days: waves and percent offered and installed",
  description: `No VIN, no code, no count of single cars: percentages of each release's line. ${localized} ${cached}`,
  request: { query: LangQuery },
  responses: {
    200: jsonResponse(PublicReleasesSchema, "The public rollout status"),
    400: errorResponse("Not a language tag"),
    503: errorResponse("The database cannot be reached"),
  },
});

export const getPublicRelease = createRoute({
  method: "get",
  path: "/v1/public/releases/{version}",
  operationId: "getPublicRelease",
  tags: ["Public"],
  security: [],
  summary: "One release's public rollout status (any release that has started)",
  description: `${localized} ${cached}`,
  request: { params: VersionParams, query: LangQuery },
  responses: {
    200: jsonResponse(PublicReleaseSchema, "The release's public rollout status"),
    400: errorResponse("Not a version or not a language tag"),
    404: errorResponse("No such release, or it has not started"),
    503: errorResponse("The database cannot be reached"),
  },
});

export const getPublicFleet = createRoute({
  method: "get",
  path: "/v1/public/fleet",
  operationId: "getPublicFleet",
  tags: ["Public"],
  security: [],
  summary: "Share of registered vehicles on each firmware version, overall, by model and by region",
  description: `Any bucket (a version in a group, or a model or region) of fewer than 20 vehicles is folded into \`other\`. ${cached}`,
  responses: {
    200: jsonResponse(PublicFleetSchema, "The fleet's firmware versions"),
    "4XX": errorResponse("Any client error, as problem+json"),
    503: errorResponse("The database cannot be reached"),
  },
});

export type ListPublicReleasesRoute = typeof listPublicReleases;
export type GetPublicReleaseRoute = typeof getPublicRelease;
export type GetPublicFleetRoute = typeof getPublicFleet;

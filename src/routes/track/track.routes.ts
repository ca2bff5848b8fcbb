import { createRoute } from "@hono/zod-openapi";
import { errorResponse, jsonBody, jsonResponse } from "../common.schemas";
import { ChannelBody, CodeParams, LangQuery, TrackSchema } from "./track.schemas";

const rateLimited = errorResponse("Too many requests from this client; see Retry-After and RateLimit");

export const track = createRoute({
  method: "get",
  path: "/v1/track/{code}",
  operationId: "getTrack",
  tags: ["Owners"],
  // Public: the unguessable code in the path is the credential.
  security: [],
  summary: "An owner's status: state, place in line, wave, ETA, notice and timeline",
  description:
    "Needs only the unguessable tracking code (an owner code or a live share link); a VIN is never enough. " +
    "Localized text (notes, wave name, notice, timeline messages, what to prepare) comes in the language of `?lang=` or " +
    "`Accept-Language` (q-values; en-GB falls back to en), English where a text lacks it; each stays a plain string.",
  request: { params: CodeParams, query: LangQuery },
  responses: {
    200: jsonResponse(TrackSchema, "The owner's status"),
    400: errorResponse("Not a tracking code"),
    404: errorResponse("Unknown or expired code"),
    429: rateLimited,
    503: errorResponse("The database cannot be reached"),
  },
});

export const changeChannel = createRoute({
  method: "put",
  path: "/v1/track/{code}/channel",
  operationId: "changeChannel",
  tags: ["Owners"],
  security: [],
  summary: "Opt in to beta, or back to stable (from the next stable release newer than the installed firmware)",
  request: { params: CodeParams, query: LangQuery, body: jsonBody(ChannelBody) },
  responses: {
    200: jsonResponse(TrackSchema, "The owner's status on the new channel"),
    400: errorResponse("Malformed request"),
    403: errorResponse("A share link cannot change the channel; only the owner's own code"),
    404: errorResponse("Unknown or expired code"),
    429: rateLimited,
    503: errorResponse("The database cannot be reached"),
  },
});

export type TrackRoute = typeof track;
export type ChangeChannelRoute = typeof changeChannel;

import { type Store, rateLimiter } from "hono-rate-limiter";
import type { Context } from "hono";
import { createRouter } from "../../lib/create-router";
import type { AppEnv } from "../../lib/env";
import { problemBody } from "../../lib/problem";
import { windowMs } from "../../lib/rate-limits";
import * as handlers from "./track.handlers";
import { wasCountedAhead } from "./track.cached";
import type { OwnerAnswers } from "../../services/owner-answers";
import * as routes from "./track.routes";

/** Tracking codes are unguessable, but guessing should also be slow: a limit per client. */
export function createTrackRouter(options: {
  limitPerMinute: number;
  store: Store<AppEnv>;
  clientKey: (c: Context) => string;
  answers: OwnerAnswers;
  maxAgeMs: number;
}) {
  const router = createRouter();
  router.use(
    "/v1/track/*",
    rateLimiter<AppEnv>({
      windowMs,
      limit: options.limitPerMinute,
      // The counts must outlive one app: Workers build the app per request.
      store: options.store,
      standardHeaders: "draft-7",
      // The connection's client (src/lib/client-address.ts), never a header the client chose.
      keyGenerator: options.clientKey,
      // Counted by the read-ahead, which then handed it on (routes/track/track.cached.ts).
      skip: wasCountedAhead,
      handler: (c) => {
        c.header("content-type", "application/problem+json");
        return c.body(JSON.stringify(problemBody("rate_limited", "Too many tracking requests from this client; try again after Retry-After seconds.")), 429);
      },
    }),
  );
  return router
    .openapi(routes.track, handlers.track(options.answers, options.maxAgeMs))
    .openapi(routes.changeChannel, handlers.changeChannel(options.answers));
}

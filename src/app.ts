import { swaggerUI } from "@hono/swagger-ui";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Config } from "./config";
import type { Db } from "./db/client";
import { authenticate } from "./lib/auth";
import { type ConnectionAddress, rememberedClientKeys } from "./lib/client-address";
import { type PrincipalCache, principalCache } from "./lib/principal-cache";
import type { Clock } from "./lib/clock";
import { createRouter } from "./lib/create-router";
import { notFoundHandler, onError, pathPattern } from "./lib/on-error";
import { ApiError } from "./lib/problem";
import { responseHeaders } from "./lib/response-headers";
import { type RateLimitStores, failedAuthLimit, memoryRateLimitStores } from "./lib/rate-limits";
import { wellFormedUrl } from "./lib/well-formed-url";
import { healthRouter } from "./routes/health/health.index";
import { keysRouter } from "./routes/keys/keys.index";
import { auditRouter } from "./routes/audit/audit.index";
import { releasesRouter } from "./routes/releases/releases.index";
import { reportsRouter } from "./routes/reports/reports.index";
import { supportRouter } from "./routes/support/support.index";
import { createTrackRouter } from "./routes/track/track.index";
import { cachedTrackReads, trackAhead } from "./routes/track/track.cached";
import { type OwnerAnswers, ownerAnswerCache } from "./services/owner-answers";
import { type PublicRollout, publicRollout } from "./services/public-rollout";
import { createPublicRouter } from "./routes/public/public.index";
import { createRolloutRouter } from "./routes/rollout/rollout.index";
import { type ProgressAnswers, progressAnswerCache } from "./services/progress";
import { knownIssuesRouter } from "./routes/known-issues/known-issues.index";
import { type KnownIssueCache, knownIssueCache } from "./services/known-issue-cache";
import { vehiclesRouter } from "./routes/vehicles/vehicles.index";
import { createWebhooksRouter } from "./routes/webhooks/webhooks.index";
import { createPushRouter } from "./routes/push/push.index";
import type { ResolveHost } from "./lib/public-address";

export type AppDeps = {
  db: Db;
  clock: Clock;
  config: Config;
  /** Where per-client counts live; pass stores that outlive the app when apps are short-lived (Workers). */
  rateLimitStores?: RateLimitStores;
  /** The connection's peer as the runtime knows it; without one, all clients share one budget. */
  connectionAddress?: ConnectionAddress;
  /** Resolves webhook hosts so internal names are refused at subscription; without it only the URL is judged. */
  resolveHost?: ResolveHost;
  /** Recent owner answers; pass one that outlives the app when apps are short-lived (Workers). */
  ownerAnswers?: OwnerAnswers;
  /** The public rollout answers (computed once per max-age); Workers also cache them at the edge. */
  publicAnswers?: PublicRollout;
  /** Recent release progress answers (at most 1 s old); likewise. */
  progressAnswers?: ProgressAnswers;
  /** Known issues per release for owners' pages; pass one that outlives the app when apps are short-lived (Workers). */
  knownIssues?: KnownIssueCache;
  /** Recently resolved API keys and device tokens (a few seconds); likewise, and the same one that `revokeKeys` is given. */
  principals?: PrincipalCache;
  /**
   * Where owners' reads are answered first (routes/track/track.cached.ts): the app's first
   * middleware, or the socket, where a runtime that can (src/node/owner-lane.ts) asks
   * `ownerReadAhead` itself; the middleware would then only judge the same request again.
   */
  ownerReadsAt?: "middleware" | "socket";
};

/** The whole HTTP API, built from its dependencies; Node and Workers entries only supply them. */
export function createApp({
  db,
  clock,
  config,
  rateLimitStores = memoryRateLimitStores(),
  connectionAddress = () => undefined,
  resolveHost,
  ownerAnswers = ownerAnswerCache({ clock, maxAgeMs: config.trackCacheMs }),
  publicAnswers = publicRollout({ db, clock }),
  progressAnswers = progressAnswerCache({ clock }),
  knownIssues = knownIssueCache({ clock }),
  principals = principalCache({ clock }),
  ownerReadsAt = "middleware",
}: AppDeps) {
  const app = createRouter();
  // Remembered per peer and forwarding header: parsing the address (BigInt arithmetic) for the
  // failed-auth check was ~4% of the CPU of a cached progress read, and clients come back.
  const clientKeys = rememberedClientKeys(config.trustProxy);
  const clientKeyOf = (c: Context) => clientKeys(connectionAddress(c), (name) => c.req.header(name));

  // X-Request-Id and hono's secure headers, on every response (lib/response-headers.ts).
  const headers = responseHeaders({ crossOriginResourcePolicy: false });
  const trackLimit = { limitPerMinute: config.trackRateLimit, store: rateLimitStores.track, clientKey: clientKeyOf };
  // First of all: an owner's answer fresh in the cache needs none of what follows (routes/track/track.cached.ts).
  const ownerReadAhead = trackAhead({ db, clock, answers: ownerAnswers, knownIssues, maxAgeMs: config.trackCacheMs, headers, limitPerMinute: trackLimit.limitPerMinute, store: trackLimit.store });
  if (ownerReadsAt === "middleware") app.use("/v1/track/:code", cachedTrackReads(ownerReadAhead, clientKeyOf, headers));
  app.use("*", headers.middleware);
  app.use("*", async (c, next) => {
    c.set("db", db);
    c.set("clock", clock);
    c.set("config", config);
    c.set("knownIssues", knownIssues);
    await next();
  });
  app.use("/v1/*", wellFormedUrl);
  // Built once: refuses from Content-Length before reading, and stops a chunked body at the limit.
  const tooLarge = () => new ApiError("payload_too_large", `The body is larger than ${config.maxBodyBytes} bytes.`);
  const smallBody = bodyLimit({
    maxSize: config.maxBodyBytes,
    onError: () => {
      throw tooLarge();
    },
  });
  // Imports stream millions of lines; every other body is small. GET and HEAD
  // carry none, and asking @hono/node-server for one builds a whole Request
  // (~8% of the CPU of a cached progress read): they skip the check. A body of
  // declared length is judged by its header alone, as bodyLimit itself does
  // (the HTTP parser never reads past it), so that @hono/node-server can hand
  // it to c.req.json() straight from the socket: touching raw.body first built
  // that whole Request, with its AbortController and stream, for every report.
  const bodiless = new Set(["GET", "HEAD"]);
  app.use("/v1/*", (c, next) => {
    if (c.req.path === "/v1/vehicles/import" || bodiless.has(c.req.method)) return next();
    const declared = c.req.header("content-length");
    if (declared !== undefined && c.req.header("transfer-encoding") === undefined) {
      if (Number(declared) > config.maxBodyBytes) throw tooLarge();
      return next();
    }
    // hono types its built-in middleware for any env; ours is AppEnv.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-argument
    return smallBody(c, next);
  });
  const failures = failedAuthLimit({ store: rateLimitStores.authFailures, limit: config.authFailureLimit, clientKey: clientKeyOf });
  app.use("/v1/*", authenticate({ adminToken: config.adminToken, failures, principals }));

  app.route("/", healthRouter);
  app.route("/", keysRouter);
  app.route("/", vehiclesRouter);
  app.route("/", releasesRouter);
  app.route("/", createRolloutRouter({ progress: progressAnswers, json: headers.json }));
  app.route("/", auditRouter);
  app.route("/", createWebhooksRouter({ resolveHost }));
  app.route("/", reportsRouter);
  app.route("/", supportRouter);
  app.route("/", createPublicRouter(publicAnswers));
  app.route("/", knownIssuesRouter);
  app.route(
    "/",
    createTrackRouter({
      ...trackLimit,
      answers: ownerAnswers,
      maxAgeMs: config.trackCacheMs,
    }),
  );
  // After the track router, whose per-client limit on /v1/track/* then covers subscribing too.
  app.route("/", createPushRouter({ resolveHost }));

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "An API key (admin, release_manager, support, gateway) or a vehicle's device token",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Rollout tracker API",
      version: "1.0.0",
      description:
        "Which firmware each vehicle has, which staged-rollout wave it is in and where it stands in line. " +
        "Errors are RFC 9457 problem+json; `type` is one of /problems/{bad_request, validation, unauthorized, forbidden, " +
        "not_found, method_not_allowed, conflict, precondition_failed, payload_too_large, unsupported_media_type, " +
        "precondition_required, rate_limited, internal, unavailable}.",
      license: { name: "MIT", url: "https://opensource.org/license/mit" },
    },
    // PUBLIC_URL when set; otherwise relative, so the document is right wherever it is served.
    servers: [{ url: config.publicUrl ?? "/", description: "This server" }],
  });
  // Assets come from this server (web build), not a CDN: consoles may run on closed networks.
  app.get("/docs", swaggerUI({ url: "/openapi.json", baseUrl: "/assets", title: "Rollout tracker API" }));

  const routes = () =>
    app.openAPIRegistry.definitions.flatMap((d) =>
      d.type === "route" ? [{ method: d.route.method, pattern: pathPattern(d.route.path) }] : [],
    );
  app.notFound(notFoundHandler(routes));
  app.onError(onError);
  // A runtime that can answer before entering the framework (src/node/owner-lane.ts) asks this first.
  return Object.assign(app, { ownerReadAhead });
}

export type App = ReturnType<typeof createApp>;

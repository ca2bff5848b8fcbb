import type { Context, MiddlewareHandler } from "hono";
import type { Store } from "hono-rate-limiter";
import type { Db } from "../../db/client";
import type { AppEnv } from "../../lib/env";
import { windowMs } from "../../lib/rate-limits";
import type { ResponseHeaders } from "../../lib/response-headers";
import { type KnownIssueCache, issuesFor } from "../../services/known-issue-cache";
import { type OwnerAnswers, cachedOwnerAnswer } from "../../services/owner-answers";
import { answerBody, answerHeaders, readerLanguage } from "./track.handlers";
import { LangQuery } from "./track.schemas";

// A refresh storm asks for the same few thousand answers many times a second,
// and the answer cache already holds them: what such a read then cost was the
// way to the handler (request id, security headers set on a finished Response,
// body limit, authentication, routing, validation, the limiter's headers), each
// a few microseconds, many building Headers objects. A GET whose answer is fresh
// in the cache is answered here, first, with exactly the headers the long way
// sets (lib/response-headers.ts, in one plain object), counted
// against the client's limit like any other. Everything else goes the long way:
// a miss, an unknown code, a query other than `?lang=`, an Authorization or
// X-Request-Id header, a client at its limit (which the long way then refuses).

type Options = {
  db: Db;
  answers: OwnerAnswers;
  knownIssues: KnownIssueCache;
  maxAgeMs: number;
  /** The same limit, store and client key as the track router's rate limiter. */
  limitPerMinute: number;
  store: Store<AppEnv>;
  clientKey: (c: Context) => string;
  /** The headers every response gets (request id, security headers). */
  headers: ResponseHeaders;
};

/** `lang` from a query that holds nothing else; undefined without a query; null for anything else. */
function langOf(url: string): string | undefined | null {
  const start = url.indexOf("?");
  if (start < 0) return undefined;
  const match = /^lang=([^&#=]*)$/.exec(url.slice(start + 1));
  return match?.[1] && LangQuery.safeParse({ lang: match[1] }).success ? match[1] : null;
}

export function cachedTrackReads(options: Options): MiddlewareHandler<AppEnv> {
  const { db, answers, knownIssues, limitPerMinute, store, clientKey } = options;
  const answered = answerHeaders(options.maxAgeMs);
  const windowSeconds = Math.ceil(windowMs / 1000);
  return async (c, next) => {
    if (c.req.method !== "GET" || c.req.header("authorization") !== undefined || c.req.header("x-request-id") !== undefined) return next();
    const lang = langOf(c.req.url);
    if (lang === null) return next();
    const status = cachedOwnerAnswer(answers, db, c.req.param("code") ?? "");
    if (!status) return next();
    const { totalHits, resetTime } = await store.increment(clientKey(c));
    if (totalHits > limitPerMinute) return next();
    const language = readerLanguage({ lang }, c.req.header("accept-language"));
    const body = answerBody(status, await issuesFor(knownIssues, db, status), language);
    const reset = resetTime ? Math.max(0, Math.ceil((resetTime.getTime() - Date.now()) / 1000)) : windowSeconds;
    return options.headers.jsonAhead(body, {
      ...answered,
      // As hono-rate-limiter's draft-7 headers on the long way.
      "ratelimit-policy": `${limitPerMinute};w=${windowSeconds}`,
      ratelimit: `limit=${limitPerMinute}, remaining=${Math.max(limitPerMinute - totalHits, 0)}, reset=${reset}`,
    });
  };
}

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
//
// The same answer serves two doors: the first middleware of the app (Workers,
// tests) and, on Node, the socket itself before the framework is entered
// (src/node/owner-lane.ts), where the request costs no more than the answer.

type Options = {
  db: Db;
  answers: OwnerAnswers;
  knownIssues: KnownIssueCache;
  maxAgeMs: number;
  /** The same limit, store and client key as the track router's rate limiter. */
  limitPerMinute: number;
  store: Store<AppEnv>;
  /** The headers every response gets (request id, security headers). */
  headers: ResponseHeaders;
};

/** A GET of `/v1/track/{code}`, as either door sees it. */
export type TrackRead = {
  code: string;
  url: string;
  header: (name: string) => string | undefined;
  /** The client's key for the limit, computed only when it is needed. */
  clientKey: () => string;
};

/** A complete 200: the serialized body and every header of it. */
export type AheadAnswer = { body: string; headers: Record<string, string> };

/** Answers a read from the cache, or undefined when it must go the long way. */
export type TrackAhead = (read: TrackRead) => Promise<AheadAnswer | undefined>;

/** `lang` from a query that holds nothing else; undefined without a query; null for anything else. */
function langOf(url: string): string | undefined | null {
  const start = url.indexOf("?");
  if (start < 0) return undefined;
  const match = /^lang=([^&#=]*)$/.exec(url.slice(start + 1));
  return match?.[1] && LangQuery.safeParse({ lang: match[1] }).success ? match[1] : null;
}

export function trackAhead(options: Options): TrackAhead {
  const { db, answers, knownIssues, limitPerMinute, store } = options;
  const answered = answerHeaders(options.maxAgeMs);
  const windowSeconds = Math.ceil(windowMs / 1000);
  const policy = `${limitPerMinute};w=${windowSeconds}`;
  return async ({ code, url, header, clientKey }) => {
    if (header("authorization") !== undefined || header("x-request-id") !== undefined) return undefined;
    const lang = langOf(url);
    if (lang === null) return undefined;
    const status = cachedOwnerAnswer(answers, db, code);
    if (!status) return undefined;
    const { totalHits, resetTime } = await store.increment(clientKey());
    if (totalHits > limitPerMinute) return undefined;
    const language = readerLanguage({ lang }, header("accept-language"));
    const body = answerBody(status, await issuesFor(knownIssues, db, status), language);
    const reset = resetTime ? Math.max(0, Math.ceil((resetTime.getTime() - Date.now()) / 1000)) : windowSeconds;
    const headers = await options.headers.aheadHeaders({
      ...answered,
      // As hono-rate-limiter's draft-7 headers on the long way.
      "ratelimit-policy": policy,
      ratelimit: `limit=${limitPerMinute}, remaining=${Math.max(limitPerMinute - totalHits, 0)}, reset=${reset}`,
    });
    return { body, headers };
  };
}

/** The first middleware for `GET /v1/track/{code}`: a cached answer leaves here as a complete response. */
export function cachedTrackReads(ahead: TrackAhead, clientKey: (c: Context) => string, headers: ResponseHeaders): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method !== "GET") return next();
    const answer = await ahead({ code: c.req.param("code") ?? "", url: c.req.url, header: (name) => c.req.header(name), clientKey: () => clientKey(c) });
    return answer ? headers.finished(answer.body, answer.headers) : next();
  };
}

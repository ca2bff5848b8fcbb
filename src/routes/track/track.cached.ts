import type { Context, MiddlewareHandler } from "hono";
import type { ClientRateLimitInfo, Store } from "hono-rate-limiter";
import type { Db } from "../../db/client";
import type { AppEnv } from "../../lib/env";
import { windowMs } from "../../lib/rate-limits";
import { nextRequestId } from "../../lib/request-ids";
import type { ResponseHeaders } from "../../lib/response-headers";
import type { Clock } from "../../lib/clock";
import { type KnownIssueCache, cachedIssuesOf, issuesFor } from "../../services/known-issue-cache";
import { problemBody } from "../../lib/problem";
import { type OwnerAnswers, cachedOwnerAnswersOf, ownerAnswerOrNull, ownerAnswersKept, unknownCode } from "../../services/owner-answers";
import { hotAnswers } from "./hot-answers";
import { type BuiltAnswer, answerHeaders, builtAnswer, readerLanguage } from "./track.handlers";
import { LangQuery, wellFormedCode } from "./track.schemas";

// A refresh storm asks for the same few thousand answers many times a second,
// and a release day's owners each ask for their own: what a read cost beyond the
// answer itself was the way to the handler (request id, security headers set on a
// finished Response, body limit, authentication, routing, validation, the
// limiter's headers), each a few microseconds, many building Headers objects.
// A well-formed owner's GET is answered here, first, with exactly the headers the long way
// sets (lib/response-headers.ts, in one plain object), counted against the
// client's limit like any other, from the cache or by the same batched read the
// handler would make; an unknown code gets the handler's 404 (the same problem
// body and headers). What goes the long way: a query other than `?lang=`, an
// Authorization or X-Request-Id header, a client at its limit (which the long way
// then refuses), and a read that failed, whose 503 the long way gives from the
// error path every other failure takes; it is counted already, and the long
// way's limiter lets it pass without counting it again.
//
// The same answer serves either of two doors (createApp's `ownerReadsAt`): the
// first middleware of the app (Workers, tests) or, on Node, the socket itself
// before the framework is entered (src/node/owner-lane.ts), where the request
// costs little more than the answer.

type Options = {
  db: Db;
  /** The caches' clock: one reading serves both of a read's lookups. */
  clock: Clock;
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
  /** Well-formed (`wellFormedCode`): each door lets no other code through, since the long way refuses it with 400. */
  code: string;
  url: string;
  header: (name: string) => string | undefined;
  /** The client's key for the limit, computed only when it is needed. */
  clientKey: () => string;
};

/**
 * A complete answer (status, serialized body, every header as Node's flat `[name, value, …]`
 * list, Content-Length included), or a request counted already that goes the long way.
 */
export type AheadAnswer = { kind: "answered"; status: 200 | 404; body: string; headers: string[] } | { kind: "counted" };

type Judged = AheadAnswer | undefined;
/**
 * Answers a read, or undefined when it goes the long way uncounted. A cached answer
 * comes back at once, not as a Promise: in a refresh storm nearly every read is one,
 * and each await was a turn of the event loop's microtasks per request.
 */
export type TrackAhead = (read: TrackRead) => Judged | Promise<Judged>;

// Requests (a web Request, or on Node the socket's IncomingMessage) whose read the
// read-ahead counted before handing them on: the track router's limiter skips them.
const counted = new WeakSet<object>();
export const countedAhead = (request: object) => void counted.add(request);
export const wasCountedAhead = (c: Context<AppEnv>) => counted.has(c.req.raw) || counted.has((c.env as { incoming?: object } | undefined)?.incoming ?? {});

/** `lang` from a query that holds nothing else; undefined without a query; null for anything else. */
function langOf(url: string): string | undefined | null {
  const start = url.indexOf("?");
  if (start < 0) return undefined;
  const match = /^lang=([^&#=]*)$/.exec(url.slice(start + 1));
  return match?.[1] && LangQuery.safeParse({ lang: match[1] }).success ? match[1] : null;
}

// What the error path answers for an unknown code (lib/on-error.ts), and its one header besides the common ones.
const unknownBody = JSON.stringify(problemBody("not_found", unknownCode().message));
const problemHeaders = { "content-type": "application/problem+json", "content-length": String(Buffer.byteLength(unknownBody)) };

/**
 * A copy of a header block (lib/response-headers.ts), whose last header is the request id,
 * with this response's own id written in, and the limit's value into the header before it
 * and the length's before that (an answer's block; the unknown code's has neither).
 */
function stamped(block: readonly string[], limit?: string, contentLength?: string): string[] {
  const headers = block.slice();
  const last = headers.length - 1;
  headers[last] = nextRequestId();
  if (limit !== undefined) headers[last - 2] = limit;
  if (contentLength !== undefined) headers[last - 4] = contentLength;
  return headers;
}

export function trackAhead(options: Options): TrackAhead {
  const { db, clock, answers, knownIssues, limitPerMinute, store, headers } = options;
  const cachedStatus = cachedOwnerAnswersOf(answers, db);
  const cachedIssues = cachedIssuesOf(knownIssues, db);
  const hot = hotAnswers({ answers, knownIssues, maxEntries: ownerAnswersKept });
  const windowSeconds = Math.ceil(windowMs / 1000);
  const limitPrefix = `limit=${limitPerMinute}, remaining=`;
  // The answer's own headers, then the limit's (as hono-rate-limiter's draft-7 headers on the long way) with its value last.
  const own = { ...answerHeaders(options.maxAgeMs), "ratelimit-policy": `${limitPerMinute};w=${windowSeconds}` };
  // Every answer's headers differ only in their length, the limit and the request id: one
  // block serves them all, copied per request with those three values written in.
  let answerBlock: string[] | undefined;
  let unknownBlock: string[] | undefined;

  const answered = (built: BuiltAnswer, limit: string): AheadAnswer | undefined => {
    answerBlock ??= headers.aheadBlock({ ...own, "content-length": "", ratelimit: "" });
    return answerBlock && { kind: "answered", status: 200, body: built.body, headers: stamped(answerBlock, limit, built.contentLength) };
  };
  const unknown = (): AheadAnswer | undefined => {
    unknownBlock ??= headers.aheadBlock(problemHeaders);
    return unknownBlock && { kind: "answered", status: 404, body: unknownBody, headers: stamped(unknownBlock) };
  };

  /** A read whose answer or known issues are not cached, or answered before hono's header values were read. */
  const readThenAnswer = async (read: TrackRead, lang: string | undefined, limit: string): Promise<Judged> => {
    try {
      const status = await ownerAnswerOrNull(answers, db, read.code);
      await headers.ready;
      if (status === null) return unknown();
      const issues = await issuesFor(knownIssues, db, status);
      return answered(builtAnswer(status, issues, readerLanguage({ lang }, read.header("accept-language"))), limit);
    } catch {
      // A read that failed (the owner's or the known issues'): the long way gives the error path's 503, without counting it again.
      return { kind: "counted" };
    }
  };

  const judge = (read: TrackRead, lang: string | undefined, { totalHits, resetTime }: ClientRateLimitInfo): Judged | Promise<Judged> => {
    if (totalHits > limitPerMinute) return undefined;
    const reset = resetTime ? Math.max(0, Math.ceil((resetTime.getTime() - Date.now()) / 1000)) : windowSeconds;
    const limit = `${limitPrefix}${Math.max(limitPerMinute - totalHits, 0)}, reset=${reset}`;
    const now = clock.now();
    const language = readerLanguage({ lang }, read.header("accept-language"));
    const kept = hot.find(read.url, language, now.getTime());
    // Not answered only in the moment before hono's header values are read: the long way below waits for them.
    const ready = kept && answered(kept, limit);
    if (ready) return ready;
    const status = cachedStatus(read.code, now);
    const issues = status && cachedIssues(status.value, now);
    if (!status || !issues) return readThenAnswer(read, lang, limit);
    const built = builtAnswer(status.value, issues.value, language);
    hot.keep(read.url, status, issues, language, built);
    return answered(built, limit) ?? readThenAnswer(read, lang, limit);
  };

  return (read) => {
    if (read.header("authorization") !== undefined || read.header("x-request-id") !== undefined) return undefined;
    const lang = langOf(read.url);
    // A malformed language gets the long way's 400.
    if (lang === null) return undefined;
    // As the long way: counted before the database is asked. A store in this
    // process's memory counts at once; a shared one (Redis) answers later.
    const count = store.increment(read.clientKey());
    return count instanceof Promise ? count.then((info) => judge(read, lang, info)) : judge(read, lang, count);
  };
}

/** Node's flat header list as a web Response's header pairs. */
function pairs(flat: readonly string[]): [string, string][] {
  const headers: [string, string][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) headers.push([flat[i] ?? "", flat[i + 1] ?? ""]);
  return headers;
}

/** The first middleware for `GET /v1/track/{code}`: an answered read leaves here as a complete response. */
export function cachedTrackReads(ahead: TrackAhead, clientKey: (c: Context) => string, headers: ResponseHeaders): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const code = c.req.param("code") ?? "";
    // A malformed code gets the long way's 400.
    if (c.req.method !== "GET" || !wellFormedCode(code)) return next();
    const answer = await ahead({ code, url: c.req.url, header: (name) => c.req.header(name), clientKey: () => clientKey(c) });
    if (answer?.kind === "answered") return headers.finished(answer.body, pairs(answer.headers), answer.status);
    if (answer) countedAhead(c.req.raw);
    return next();
  };
}

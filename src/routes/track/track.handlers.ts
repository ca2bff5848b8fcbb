import { Buffer } from "node:buffer";
import { LRUCache } from "lru-cache";
import { negotiateLanguageTag } from "../../domain/locale-negotiation";
import { localizeStatus } from "../../domain/localize-status";
import type { TypedResponse } from "hono";
import type { JSONParsed } from "hono/utils/types";
import { type AppRouteHandler, type Jsonified, jsonified } from "../../lib/types";
import { changeOwnChannel } from "../../services/channel";
import { type CachedKnownIssue, attachKnownIssues, issuesFor, withKnownIssues } from "../../services/known-issue-cache";
import { type OwnerAnswer, type OwnerAnswers, ownerAnswer } from "../../services/owner-answers";
import type { ChangeChannelRoute, TrackRoute } from "./track.routes";

// Browsers send a handful of Accept-Language values, each the same on every refresh.
const negotiated = new LRUCache<string, string>({ max: 256 });
const noLanguageAsked = negotiateLanguageTag("");
function negotiatedLanguage(acceptLanguage: string) {
  if (acceptLanguage === "") return noLanguageAsked;
  let tag = negotiated.get(acceptLanguage);
  if (tag === undefined) negotiated.set(acceptLanguage, (tag = negotiateLanguageTag(acceptLanguage)));
  return tag;
}

/** ?lang= wins over Accept-Language (a language switch on the page); English when neither names one of ours. */
export const readerLanguage = (query: { lang?: string }, acceptLanguage: string | undefined) => query.lang ?? negotiatedLanguage(acceptLanguage ?? "");

/** An owner never sees a state older than this, from the server's copy and the browser's together. */
export const ownerStalenessMs = 2_000;

/**
 * What the owner's browser may keep: what the server's bound leaves of `ownerStalenessMs`.
 * The server keeps the whole of it by default (TRACK_CACHE_MS): the owner page asks
 * with `cache: "no-store"` anyway, and every second a hot answer is kept on the
 * server halves its re-reads in a refresh storm.
 */
export const cacheControl = (maxAgeMs: number) => {
  const browserSeconds = Math.floor((ownerStalenessMs - maxAgeMs) / 1000);
  return maxAgeMs > 0 && browserSeconds > 0 ? `private, max-age=${browserSeconds}` : "private, no-store";
};

/** The headers of an owner's answer, besides those every response gets. */
export const answerHeaders = (maxAgeMs: number) => ({
  "content-type": "application/json",
  "cache-control": cacheControl(maxAgeMs),
  // The same code reads differently per language: no cache may hand one reader another's.
  vary: "Accept-Language",
});

// The cache keeps each code's answer with its localized fields as written; the
// reader's language is picked per request, so one cached answer serves every language.
// A refresh storm reads one cached answer many times a second: its JSON in each
// language is built once and lives exactly as long as the cached answer does.
// The release's known issues come from their own cache (services/known-issue-cache.ts):
// a body is reused only while it was built with the very issues list now cached.
export type BuiltAnswer = { issues: readonly CachedKnownIssue[]; body: string; contentLength: string };
const bodies = new WeakMap<object, Map<string, BuiltAnswer>>();
const maxLanguagesKept = 8;
type LocalizedAnswer = ReturnType<typeof localizeStatus<NonNullable<OwnerAnswer>>>;
type TrackBody = JSONParsed<Jsonified<ReturnType<typeof attachKnownIssues<LocalizedAnswer>>>>;

/** The answer's JSON in the reader's language with these known issues, built once while it is cached. */
export function builtAnswer(status: NonNullable<OwnerAnswer>, issues: readonly CachedKnownIssue[], language: string): BuiltAnswer {
  let byLanguage = bodies.get(status);
  if (!byLanguage) bodies.set(status, (byLanguage = new Map<string, BuiltAnswer>()));
  const kept = byLanguage.get(language);
  if (kept && kept.issues === issues) return kept;
  const body = JSON.stringify(attachKnownIssues(localizeStatus(status, language), issues, language));
  const built = { issues, body, contentLength: String(Buffer.byteLength(body)) };
  // Tags are many (en-GB, nl-BE, …): a few per answer are kept, the rare rest built each time.
  if (kept || byLanguage.size < maxLanguagesKept) byLanguage.set(language, built);
  return built;
}

export const answerBody = (status: NonNullable<OwnerAnswer>, issues: readonly CachedKnownIssue[], language: string) => builtAnswer(status, issues, language).body;

export const track =
  (answers: OwnerAnswers, maxAgeMs: number): AppRouteHandler<TrackRoute> =>
  async (c) => {
    const status = await ownerAnswer(answers, c.var.db, c.req.valid("param").code);
    const language = readerLanguage(c.req.valid("query"), c.req.header("accept-language"));
    // The body is JSON.stringify of the localized status, as c.json would send it; only c.json's type says so.
    const issues = await issuesFor(c.var.knownIssues, c.var.db, status);
    return c.body(answerBody(status, issues, language), 200, answerHeaders(maxAgeMs)) as unknown as TypedResponse<TrackBody, 200, "json">;
  };

export const changeChannel =
  (answers: OwnerAnswers): AppRouteHandler<ChangeChannelRoute> =>
  async (c) => {
    const status = await changeOwnChannel({
      db: c.var.db,
      answers,
      code: c.req.valid("param").code,
      channel: c.req.valid("json").channel,
      now: c.var.clock.now(),
    });
    const language = readerLanguage(c.req.valid("query"), c.req.header("accept-language"));
    return c.json(jsonified(await withKnownIssues(c.var.knownIssues, c.var.db, localizeStatus(status, language), language)), 200);
  };

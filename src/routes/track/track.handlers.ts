import { negotiateLanguageTag } from "../../domain/locale-negotiation";
import { localizeStatus } from "../../domain/localize-status";
import type { TypedResponse } from "hono";
import type { JSONParsed } from "hono/utils/types";
import { type AppRouteHandler, type Jsonified, jsonified } from "../../lib/types";
import { changeOwnChannel } from "../../services/channel";
import { type OwnerAnswer, type OwnerAnswers, ownerAnswer } from "../../services/owner-answers";
import type { ChangeChannelRoute, TrackRoute } from "./track.routes";

/** ?lang= wins over Accept-Language (a language switch on the page); English when neither names one of ours. */
const readerLanguage = (query: { lang?: string }, acceptLanguage: string | undefined) => query.lang ?? negotiateLanguageTag(acceptLanguage ?? "");

/** What the owner's browser may keep: the server's bound rounded up, so together at most twice it. */
export const cacheControl = (maxAgeMs: number) => (maxAgeMs > 0 ? `private, max-age=${Math.ceil(maxAgeMs / 1000)}` : "private, no-store");

// The cache keeps each code's answer with its localized fields as written; the
// reader's language is picked per request, so one cached answer serves every language.
// A refresh storm reads one cached answer many times a second: its JSON in each
// language is built once and lives exactly as long as the cached answer does.
const bodies = new WeakMap<object, Map<string, string>>();
const maxLanguagesKept = 8;
type TrackBody = JSONParsed<Jsonified<ReturnType<typeof localizeStatus<NonNullable<OwnerAnswer>>>>>;

function answerBody(status: NonNullable<OwnerAnswer>, language: string) {
  let byLanguage = bodies.get(status);
  if (!byLanguage) bodies.set(status, (byLanguage = new Map<string, string>()));
  let body = byLanguage.get(language);
  if (body !== undefined) return body;
  body = JSON.stringify(localizeStatus(status, language));
  // Tags are many (en-GB, nl-BE, …): a few per answer are kept, the rare rest built each time.
  if (byLanguage.size < maxLanguagesKept) byLanguage.set(language, body);
  return body;
}

export const track =
  (answers: OwnerAnswers, maxAgeMs: number): AppRouteHandler<TrackRoute> =>
  async (c) => {
    const status = await ownerAnswer(answers, c.var.db, c.req.valid("param").code);
    const language = readerLanguage(c.req.valid("query"), c.req.header("accept-language"));
    // The body is JSON.stringify of the localized status, as c.json would send it; only c.json's type says so.
    return c.body(answerBody(status, language), 200, {
      "content-type": "application/json",
      "cache-control": cacheControl(maxAgeMs),
      // The same code reads differently per language: no cache may hand one reader another's.
      vary: "Accept-Language",
    }) as unknown as TypedResponse<TrackBody, 200, "json">;
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
    return c.json(jsonified(localizeStatus(status, language)), 200);
  };

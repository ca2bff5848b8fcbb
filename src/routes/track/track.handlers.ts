import { negotiateLanguageTag } from "../../domain/locale-negotiation";
import { localizeStatus } from "../../domain/localize-status";
import { type AppRouteHandler, jsonified } from "../../lib/types";
import { changeOwnChannel } from "../../services/channel";
import { withKnownIssues } from "../../services/known-issue-cache";
import { type OwnerAnswers, ownerAnswer } from "../../services/owner-answers";
import type { ChangeChannelRoute, TrackRoute } from "./track.routes";

/** ?lang= wins over Accept-Language (a language switch on the page); English when neither names one of ours. */
const readerLanguage = (query: { lang?: string }, acceptLanguage: string | undefined) => query.lang ?? negotiateLanguageTag(acceptLanguage ?? "");

/** What the owner's browser may keep: the server's bound rounded up, so together at most twice it. */
export const cacheControl = (maxAgeMs: number) => (maxAgeMs > 0 ? `private, max-age=${Math.ceil(maxAgeMs / 1000)}` : "private, no-store");

// The cache keeps each code's answer with its localized fields as written; the
// reader's language is picked per request, so one cached answer serves every language.
export const track =
  (answers: OwnerAnswers, maxAgeMs: number): AppRouteHandler<TrackRoute> =>
  async (c) => {
    const status = await ownerAnswer(answers, c.var.db, c.req.valid("param").code);
    c.header("Cache-Control", cacheControl(maxAgeMs));
    // The same code reads differently per language: no cache may hand one reader another's.
    c.header("Vary", "Accept-Language");
    const language = readerLanguage(c.req.valid("query"), c.req.header("accept-language"));
    return c.json(jsonified(await withKnownIssues(c.var.knownIssues, c.var.db, localizeStatus(status, language), language)), 200);
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

import { negotiateLanguageTag } from "../../domain/locale-negotiation";
import { localizeStatus } from "../../domain/localize-status";
import { actorName } from "../../domain/roles";
import { ApiError } from "../../lib/problem";
import { type AppRouteHandler, jsonified } from "../../lib/types";
import { changeChannel as switchChannel } from "../../services/channel";
import { trackVehicle, vehicleForCode } from "../../services/track";
import { type OwnerAnswers, beatMs, cacheControl, codeKey, ownerAnswer } from "./owner-answers";
import type * as routes from "./track.routes";

/** Unknown, expired and revoked codes look the same from outside. */
const unknownCode = () => new ApiError("not_found", "No vehicle is tracked with this code, or the link has expired.");

/** ?lang= wins over Accept-Language (a language switch on the page); English when neither names one of ours. */
const readerLanguage = (query: { lang?: string }, acceptLanguage: string | undefined) => query.lang ?? negotiateLanguageTag(acceptLanguage ?? "");

// The cache keeps each code's answer with its localized fields as written; the
// reader's language is picked per request, so one cached answer serves every language.
export const track =
  (answers: OwnerAnswers, maxAgeMs: number): AppRouteHandler<typeof routes.track> =>
  async (c) => {
    const status = await ownerAnswer(answers, c.var.db, c.req.valid("param").code);
    if (!status) throw unknownCode();
    c.header("Cache-Control", cacheControl(maxAgeMs));
    // The same code reads differently per language: no cache may hand one reader another's.
    c.header("Vary", "Accept-Language");
    const language = readerLanguage(c.req.valid("query"), c.req.header("accept-language"));
    return c.json(jsonified(localizeStatus(status, language)), 200);
  };

export const changeChannel =
  (answers: OwnerAnswers): AppRouteHandler<typeof routes.changeChannel> =>
  async (c) => {
    const now = c.var.clock.now();
    const code = c.req.valid("param").code;
    const vehicle = await vehicleForCode(c.var.db, code, now);
    if (!vehicle) throw unknownCode();
    if (vehicle.shared) throw new ApiError("forbidden", "Only the owner's own tracking code can change the channel, not a share link.");
    await switchChannel({ db: c.var.db, vehicle, channel: c.req.valid("json").channel, actor: actorName({ kind: "owner", vin: vehicle.vin }), now });
    // The owner's next read shows the change at once; share links of the car within the bound.
    answers.forget(codeKey(code));
    const updated = await vehicleForCode(c.var.db, code, now);
    if (!updated) throw unknownCode();
    const language = readerLanguage(c.req.valid("query"), c.req.header("accept-language"));
    return c.json(jsonified(localizeStatus(await trackVehicle(c.var.db, updated, now, beatMs), language)), 200);
  };

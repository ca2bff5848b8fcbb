import { negotiateLanguageTag } from "../../domain/locale-negotiation";
import { localizeStatus } from "../../domain/localize-status";
import { actorName } from "../../domain/roles";
import { ApiError } from "../../lib/problem";
import { type AppRouteHandler, jsonified } from "../../lib/types";
import { changeChannel as switchChannel } from "../../services/channel";
import { trackVehicle, vehicleForCode } from "../../services/track";
import type * as routes from "./track.routes";

/** Unknown, expired and revoked codes look the same from outside. */
const unknownCode = () => new ApiError("not_found", "No vehicle is tracked with this code, or the link has expired.");

/** Offers land on the next beat of the clock; ETAs include one beat. */
export const beatMs = 60_000;

/** ?lang= wins over Accept-Language (a language switch on the page); English when neither names one of ours. */
const readerLanguage = (query: { lang?: string }, acceptLanguage: string | undefined) => query.lang ?? negotiateLanguageTag(acceptLanguage ?? "");

export const track: AppRouteHandler<typeof routes.track> = async (c) => {
  const now = c.var.clock.now();
  const vehicle = await vehicleForCode(c.var.db, c.req.valid("param").code, now);
  if (!vehicle) throw unknownCode();
  c.header("Cache-Control", "private, no-store");
  // The same code reads differently per language: no cache may hand one reader another's.
  c.header("Vary", "Accept-Language");
  const language = readerLanguage(c.req.valid("query"), c.req.header("accept-language"));
  return c.json(jsonified(localizeStatus(await trackVehicle(c.var.db, vehicle, now, beatMs), language)), 200);
};

export const changeChannel: AppRouteHandler<typeof routes.changeChannel> = async (c) => {
  const now = c.var.clock.now();
  const vehicle = await vehicleForCode(c.var.db, c.req.valid("param").code, now);
  if (!vehicle) throw unknownCode();
  if (vehicle.shared) throw new ApiError("forbidden", "Only the owner's own tracking code can change the channel, not a share link.");
  await switchChannel({ db: c.var.db, vehicle, channel: c.req.valid("json").channel, actor: actorName({ kind: "owner", vin: vehicle.vin }), now });
  const updated = (await vehicleForCode(c.var.db, c.req.valid("param").code, now))!;
  const language = readerLanguage(c.req.valid("query"), c.req.header("accept-language"));
  return c.json(jsonified(localizeStatus(await trackVehicle(c.var.db, updated, now, beatMs), language)), 200);
};

import { actorName } from "../../domain/roles";
import { ApiError } from "../../lib/problem";
import { type AppRouteHandler, jsonified } from "../../lib/types";
import { changeChannel as switchChannel } from "../../services/channel";
import { trackVehicle, vehicleForCode } from "../../services/track";
import { type OwnerAnswers, beatMs, cacheControl, codeKey, ownerAnswer } from "./owner-answers";
import type * as routes from "./track.routes";

/** Unknown, expired and revoked codes look the same from outside. */
const unknownCode = () => new ApiError("not_found", "No vehicle is tracked with this code, or the link has expired.");

export const track =
  (answers: OwnerAnswers, maxAgeMs: number): AppRouteHandler<typeof routes.track> =>
  async (c) => {
    const status = await ownerAnswer(answers, c.var.db, c.req.valid("param").code);
    if (!status) throw unknownCode();
    c.header("Cache-Control", cacheControl(maxAgeMs));
    return c.json(jsonified(status), 200);
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
    const updated = (await vehicleForCode(c.var.db, code, now))!;
    return c.json(jsonified(await trackVehicle(c.var.db, updated, now, beatMs)), 200);
  };

import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../db/client";
import { queueEntries, releases, vehicles } from "../db/schema";
import { type Channel, decideChannelChange } from "../domain/channel-change";
import { forbidden } from "../domain/errors";
import { actorName } from "../domain/roles";
import { recordAudit } from "./audit-write";
import { type OwnerAnswers, beatMs, unknownCode } from "./owner-answers";
import { enqueueLateJoiners } from "./queue";
import { trackVehicle, vehicleForCode } from "./track";

/** Applies the owner's channel change as src/domain/channel-change.ts decides it. */
export async function changeChannel({ db, vehicle, channel, actor, now }: { db: Db; vehicle: { id: number; channel: Channel }; channel: Channel; actor: string; now: Date }) {
  const change = decideChannelChange(vehicle, channel);
  if (change.kind === "unchanged") return;
  await db.transaction(async (tx) => {
    // The vehicle moves first: enqueueLateJoiners looks for releases on the vehicle's (new) channel.
    await tx.update(vehicles).set({ channel: change.joinOn, updatedAt: now }).where(eq(vehicles.id, vehicle.id));
    const oldChannelReleases = tx.select({ id: releases.id }).from(releases).where(eq(releases.channel, change.cancelQueuedOn));
    await tx
      .update(queueEntries)
      .set({ state: "cancelled", updatedAt: now })
      .where(and(eq(queueEntries.vehicleId, vehicle.id), eq(queueEntries.state, "queued"), inArray(queueEntries.releaseId, oldChannelReleases)));
    await recordAudit(tx, { actor, action: "vehicle.channel_changed", at: now, vehicleId: vehicle.id, before: { channel: change.cancelQueuedOn }, after: { channel: change.joinOn } });
    await enqueueLateJoiners(tx, [vehicle.id], now);
  });
}

/**
 * The owner, by their own tracking code, switches channel and reads their
 * status on the new one. A share link may read but not decide.
 */
export async function changeOwnChannel({ db, answers, code, channel, now }: { db: Db; answers: OwnerAnswers; code: string; channel: Channel; now: Date }) {
  const vehicle = await vehicleForCode(db, code, now);
  if (!vehicle) throw unknownCode();
  if (vehicle.shared) throw forbidden("Only the owner's own tracking code can change the channel, not a share link.");
  await changeChannel({ db, vehicle, channel, actor: actorName({ kind: "owner", vin: vehicle.vin }), now });
  // The owner's next read shows the change at once; share links of the car within the bound.
  answers.forget(code);
  const updated = await vehicleForCode(db, code, now);
  if (!updated) throw unknownCode();
  return trackVehicle(db, updated, now, beatMs);
}

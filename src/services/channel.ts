import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../db/client";
import { queueEntries, releases, vehicles } from "../db/schema";
import { recordAudit } from "./audit-write";
import { enqueueLateJoiners } from "./queue";

/**
 * An owner switches between stable and beta: updates not yet offered on the
 * old channel are cancelled, and the car joins the end of the queue of any
 * release rolling out on the new channel that is newer than its firmware.
 */
export async function changeChannel({ db, vehicle, channel, actor, now }: { db: Db; vehicle: { id: number; channel: string }; channel: "stable" | "beta"; actor: string; now: Date }) {
  if (vehicle.channel === channel) return;
  await db.transaction(async (tx) => {
    await tx.update(vehicles).set({ channel, updatedAt: now }).where(eq(vehicles.id, vehicle.id));
    const oldChannelReleases = tx.select({ id: releases.id }).from(releases).where(eq(releases.channel, vehicle.channel as "stable" | "beta"));
    await tx
      .update(queueEntries)
      .set({ state: "cancelled", updatedAt: now })
      .where(and(eq(queueEntries.vehicleId, vehicle.id), eq(queueEntries.state, "queued"), inArray(queueEntries.releaseId, oldChannelReleases)));
    await recordAudit(tx, { actor, action: "vehicle.channel_changed", at: now, vehicleId: vehicle.id, before: { channel: vehicle.channel }, after: { channel } });
    await enqueueLateJoiners(tx, [vehicle.id], now);
  });
}

import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { theRow } from "../db/rows";
import { pushSubscriptions } from "../db/schema";
import { forbidden, notFound } from "../domain/errors";
import type { Locale } from "../domain/locale-negotiation";
import type { PushEvent } from "../domain/push-messages";
import { actorName } from "../domain/roles";
import { ApiError } from "../lib/problem";
import { type ResolveHost, type WebhookTargets, targetProblem } from "../lib/public-address";
import { sha256Hex } from "../lib/secrets";
import { recordAudit } from "./audit-write";
import { unknownCode } from "./owner-answers";
import { vehicleForCode } from "./track";

export type NewSubscription = { endpoint: string; keys: { p256dh: string; auth: string }; lang: Locale; events: PushEvent[] };

/** The owner's own vehicle behind `code`: a share link may read a status, never decide what the owner's browsers receive. */
async function ownersVehicle(db: Db, code: string, now: Date) {
  const vehicle = await vehicleForCode(db, code, now);
  if (!vehicle) throw unknownCode();
  if (vehicle.shared) throw forbidden("Only the owner's own tracking code can manage notifications, not a share link.");
  return vehicle;
}

const fromBase64url = (text: string) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0));

/** A p256dh of the right length can still be off the curve; Web Crypto says whether it is a P-256 point. */
async function isP256Point(p256dh: string) {
  try {
    await crypto.subtle.importKey("raw", fromBase64url(p256dh), { name: "ECDH", namedCurve: "P-256" }, false, []);
    return true;
  } catch {
    return false;
  }
}

/**
 * Subscribes a browser to the notifications of the owner's car. The push
 * endpoint must be https on a public address (the push service), like a
 * webhook target; the same browser subscribing again only updates its keys,
 * language and events.
 */
export async function subscribe({ db, code, input, now, targets, resolve }: { db: Db; code: string; input: NewSubscription; now: Date; targets: WebhookTargets; resolve?: ResolveHost }) {
  const vehicle = await ownersVehicle(db, code, now);
  const refused = await targetProblem(input.endpoint, targets, resolve);
  if (refused) {
    throw new ApiError("validation", `Push endpoints must be https URLs on public addresses: ${refused}.`, { errors: [{ field: "endpoint", message: refused }] });
  }
  if (!(await isP256Point(input.keys.p256dh))) {
    throw new ApiError("validation", "keys.p256dh is not a P-256 public key.", { errors: [{ field: "keys.p256dh", message: "not a point on P-256" }] });
  }
  const values = { codeHash: sha256Hex(code), p256dh: input.keys.p256dh, auth: input.keys.auth, lang: input.lang, events: input.events };
  return db.transaction(async (tx) => {
    const row = theRow(
      await tx
        .insert(pushSubscriptions)
        .values({ vehicleId: vehicle.id, endpoint: input.endpoint, createdAt: now, ...values })
        .onConflictDoUpdate({ target: [pushSubscriptions.vehicleId, pushSubscriptions.endpoint], set: values })
        .returning({ id: pushSubscriptions.id }),
    );
    // The endpoint stays out of the log: it is the browser's address at its push service.
    await recordAudit(tx, { actor: actorName({ kind: "owner", vin: vehicle.vin }), action: "push.subscribed", at: now, vehicleId: vehicle.id, after: { id: row.id, lang: input.lang, events: input.events } });
    return row;
  });
}

/** Removes one of the owner's subscriptions (its pending messages go with it). */
export async function unsubscribe({ db, code, id, now }: { db: Db; code: string; id: number; now: Date }) {
  const vehicle = await ownersVehicle(db, code, now);
  await db.transaction(async (tx) => {
    const deleted = await tx
      .delete(pushSubscriptions)
      .where(and(eq(pushSubscriptions.id, id), eq(pushSubscriptions.vehicleId, vehicle.id), eq(pushSubscriptions.codeHash, sha256Hex(code))))
      .returning({ id: pushSubscriptions.id });
    if (deleted.length === 0) throw notFound(`Subscription ${id}`);
    await recordAudit(tx, { actor: actorName({ kind: "owner", vin: vehicle.vin }), action: "push.unsubscribed", at: now, vehicleId: vehicle.id, before: { id } });
  });
}

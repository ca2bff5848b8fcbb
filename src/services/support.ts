import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { theRow } from "../db/rows";
import { queueEntries, releases, shareLinks, supportCases, waves } from "../db/schema";
import { waveOfPosition, waveRanges } from "../domain/waves";
import { conflict, notFound } from "../domain/errors";
import { newSecret, secretPrefixes, sha256Hex } from "../lib/secrets";
import { recordAudit } from "./audit-write";
import { knownIssueForCase, releaseOfKnownIssue } from "./known-issues";
import { findVehicle } from "./vehicles";

type Support = { db: Db; vin: string; actor: string; actorKeyId: number | null; now: Date };

async function vehicleOr404(db: Db, vin: string) {
  const vehicle = await findVehicle(db, vin);
  if (!vehicle) throw notFound(`Vehicle ${vin}`);
  return vehicle;
}

/** An expiring, revocable owner link; the code is shown once and stored hashed. */
export async function createShareLink({ db, vin, actor, actorKeyId, now, expiresInHours, baseUrl }: Support & { expiresInHours: number; baseUrl: string }) {
  const vehicle = await vehicleOr404(db, vin);
  const code = newSecret(secretPrefixes.shareCode);
  const expiresAt = new Date(now.getTime() + expiresInHours * 3_600_000);
  const codeHash = sha256Hex(code);
  return db.transaction(async (tx) => {
    const link = theRow(
      await tx.insert(shareLinks).values({ vehicleId: vehicle.id, codeHash, createdBy: actorKeyId, expiresAt, createdAt: now }).returning({ id: shareLinks.id }),
    );
    await recordAudit(tx, { actor, action: "share_link.created", at: now, vehicleId: vehicle.id, after: { id: link.id, expiresAt } });
    return { id: link.id, url: `${baseUrl.replace(/\/$/, "")}/t/${code}`, code, expiresAt };
  });
}

export async function revokeShareLink({ db, vin, actor, now, id }: Support & { id: number }) {
  const vehicle = await vehicleOr404(db, vin);
  await db.transaction(async (tx) => {
    const [link] = await tx
      .update(shareLinks)
      .set({ revokedAt: now })
      .where(and(eq(shareLinks.id, id), eq(shareLinks.vehicleId, vehicle.id), sql`${shareLinks.revokedAt} is null`))
      .returning({ id: shareLinks.id });
    if (!link) throw notFound(`Active share link ${id} of vehicle ${vin}`);
    await recordAudit(tx, { actor, action: "share_link.revoked", at: now, vehicleId: vehicle.id, before: { id } });
  });
}

/**
 * Links a support case to the vehicle and to the release and wave it is in
 * now (the newest rolling-out or paused release it is queued for), so that a
 * spike of cases shows on that wave's progress.
 */
export async function linkCase({ db, vin, actor, actorKeyId, now, reference, summary, knownIssueId }: Support & { reference: string; summary: string; knownIssueId?: number }) {
  const vehicle = await vehicleOr404(db, vin);
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: supportCases.id })
      .from(supportCases)
      .where(and(eq(supportCases.vehicleId, vehicle.id), eq(supportCases.reference, reference)));
    if (existing) throw conflict(`Case ${reference} is already linked to ${vin}.`);
    const entries = tx
      .select({ releaseId: releases.id, version: releases.version, queueSize: releases.queueSize, position: queueEntries.position })
      .from(queueEntries)
      .innerJoin(releases, eq(releases.id, queueEntries.releaseId));
    const [rolling] = await entries
      .where(and(eq(queueEntries.vehicleId, vehicle.id), inArray(releases.state, ["rolling_out", "paused"])))
      .orderBy(desc(releases.versionParts))
      .limit(1);
    // A case about a known issue of a release that is over (completed, halted) belongs to that release, if the car was in it.
    const issueRelease = !rolling && knownIssueId !== undefined ? await releaseOfKnownIssue(tx, knownIssueId) : null;
    const [current] = rolling ? [rolling] : issueRelease === null ? [] : await entries.where(and(eq(queueEntries.vehicleId, vehicle.id), eq(releases.id, issueRelease)));
    let waveIndex: number | null = null;
    const position = current?.position;
    if (current && position) {
      const plan = await tx.select({ share: waves.share }).from(waves).where(eq(waves.releaseId, current.releaseId)).orderBy(waves.index);
      waveIndex = waveOfPosition(waveRanges(plan.map((w) => w.share), current.queueSize), position);
    }
    if (knownIssueId !== undefined) await knownIssueForCase(tx, knownIssueId, current?.releaseId ?? null, current?.version ?? null);
    const row = theRow(
      await tx
        .insert(supportCases)
        .values({ reference, summary, vehicleId: vehicle.id, releaseId: current?.releaseId ?? null, waveIndex, knownIssueId: knownIssueId ?? null, createdBy: actorKeyId, createdAt: now })
        .returning({ createdAt: supportCases.createdAt }),
    );
    await recordAudit(tx, { actor, action: "case.linked", at: now, vehicleId: vehicle.id, releaseId: current?.releaseId ?? null, after: { reference, waveIndex, knownIssueId: knownIssueId ?? null } });
    return { reference, summary, vin, version: current?.version ?? null, waveIndex, knownIssueId: knownIssueId ?? null, createdAt: row.createdAt };
  });
}

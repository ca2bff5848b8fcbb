import { and, desc, eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../db/client";
import { theRow } from "../db/rows";
import {
  firmwareChanges,
  queueEntries,
  releases,
  shareLinks,
  supportCases,
  updateEvents,
  vehicles,
} from "../db/schema";
import { notFound } from "../domain/errors";
import { newSecret, secretPrefixes, sha256Hex } from "../lib/secrets";
import { recordAudit } from "./audit-write";
import { enqueueLateJoiners } from "./queue";

export type VehicleInput = {
  model: string;
  hardware: string;
  region: string;
  channel: "stable" | "beta";
  cohort: "employee" | "early_access" | "standard";
  firmware: string;
};

const vehicleColumns = {
  id: vehicles.id,
  vin: vehicles.vin,
  model: vehicles.model,
  hardware: vehicles.hardware,
  region: vehicles.region,
  channel: vehicles.channel,
  cohort: vehicles.cohort,
  firmware: vehicles.firmware,
  // Its newest accepted report (one probe of update_events' (vehicle_id, at)
  // index): reports no longer write it on the car; the column keeps what
  // they wrote before.
  // (Qualified by hand: drizzle leaves columns unqualified in a one-table query.)
  lastSeenAt: sql<Date | null>`greatest(vehicles.last_seen_at, (select max(e.at) from update_events e where e.vehicle_id = vehicles.id))`.mapWith(vehicles.lastSeenAt),
  createdAt: vehicles.createdAt,
  updatedAt: vehicles.updatedAt,
};

export type VehicleRow = Omit<typeof vehicles.$inferSelect, "ownerCodeHash" | "deviceTokenHash" | "firmwareParts">;

export async function findVehicle(db: DbOrTx, vin: string): Promise<VehicleRow | undefined> {
  const [vehicle] = await db.select(vehicleColumns).from(vehicles).where(eq(vehicles.vin, vin));
  return vehicle;
}

type Upserted =
  | { created: true; vehicle: VehicleRow; ownerCode: string; deviceToken: string }
  | { created: false; vehicle: VehicleRow };

/** Registers a vehicle, or updates the one with this VIN; codes are handed out on creation only. */
export async function upsertVehicle({
  db,
  vin,
  input,
  actor,
  at,
}: { db: Db; vin: string; input: VehicleInput; actor: string; at: Date }): Promise<Upserted> {
  const ownerCode = newSecret(secretPrefixes.ownerCode);
  const deviceToken = newSecret(secretPrefixes.deviceToken);
  const ownerCodeHash = sha256Hex(ownerCode);
  const deviceTokenHash = sha256Hex(deviceToken);

  return db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(vehicles)
      .values({ vin, ...input, ownerCodeHash, deviceTokenHash, createdAt: at, updatedAt: at })
      .onConflictDoNothing({ target: vehicles.vin })
      .returning(vehicleColumns);
    if (inserted) {
      await recordAudit(tx, { actor, action: "vehicle.registered", at, vehicleId: inserted.id, after: { vin, ...input } });
      await enqueueLateJoiners(tx, [inserted.id], at);
      return { created: true, vehicle: inserted, ownerCode, deviceToken };
    }

    // The insert found the VIN taken, so the row exists (vehicles are never deleted).
    const before = theRow(await tx.select(vehicleColumns).from(vehicles).where(eq(vehicles.vin, vin)).for("update"));
    const after = theRow(await tx.update(vehicles).set({ ...input, updatedAt: at }).where(eq(vehicles.vin, vin)).returning(vehicleColumns));
    if (before.firmware !== input.firmware) {
      await tx.insert(firmwareChanges).values({
        vehicleId: before.id,
        fromFirmware: before.firmware,
        toFirmware: input.firmware,
        source: "registration",
        at,
      });
    }
    await recordAudit(tx, { actor, action: "vehicle.updated", at, vehicleId: before.id, before: pickInput(before), after: input });
    await enqueueLateJoiners(tx, [before.id], at);
    return { created: false, vehicle: after };
  });
}

const pickInput = (v: VehicleRow): VehicleInput => ({
  model: v.model,
  hardware: v.hardware,
  region: v.region,
  channel: v.channel,
  cohort: v.cohort,
  firmware: v.firmware,
});

/** Everything support needs about one vehicle; the read itself is audited. */
export async function vehicleDetail({ db, vin, actor, at }: { db: Db; vin: string; actor: string; at: Date }) {
  const vehicle = await findVehicle(db, vin);
  if (!vehicle) throw notFound(`Vehicle ${vin}`);
  const [history, queue, events, cases, links] = await Promise.all([
    db
      .select({ from: firmwareChanges.fromFirmware, to: firmwareChanges.toFirmware, source: firmwareChanges.source, at: firmwareChanges.at })
      .from(firmwareChanges)
      .where(eq(firmwareChanges.vehicleId, vehicle.id))
      .orderBy(desc(firmwareChanges.at), desc(firmwareChanges.id))
      .limit(200),
    db
      .select({ version: releases.version, releaseState: releases.state, position: queueEntries.position, state: queueEntries.state, offeredAt: queueEntries.offeredAt, updatedAt: queueEntries.updatedAt })
      .from(queueEntries)
      .innerJoin(releases, eq(releases.id, queueEntries.releaseId))
      .where(eq(queueEntries.vehicleId, vehicle.id))
      .orderBy(desc(releases.versionParts)),
    db
      .select({ eventId: updateEvents.eventId, version: updateEvents.version, state: updateEvents.state, errorCode: updateEvents.errorCode, at: updateEvents.at })
      .from(updateEvents)
      .where(eq(updateEvents.vehicleId, vehicle.id))
      .orderBy(desc(updateEvents.at))
      .limit(200),
    db
      .select({ reference: supportCases.reference, summary: supportCases.summary, version: releases.version, waveIndex: supportCases.waveIndex, createdAt: supportCases.createdAt })
      .from(supportCases)
      .leftJoin(releases, eq(releases.id, supportCases.releaseId))
      .where(eq(supportCases.vehicleId, vehicle.id))
      .orderBy(desc(supportCases.createdAt)),
    db
      .select({ id: shareLinks.id, expiresAt: shareLinks.expiresAt, revokedAt: shareLinks.revokedAt, createdAt: shareLinks.createdAt })
      .from(shareLinks)
      .where(and(eq(shareLinks.vehicleId, vehicle.id)))
      .orderBy(desc(shareLinks.createdAt)),
  ]);
  await recordAudit(db, { actor, action: "vehicle.viewed", at, vehicleId: vehicle.id });
  return { vehicle, history: withRegistration(history, vehicle), queue, events, cases, shareLinks: links };
}

type FirmwareChange = { from: string | null; to: string; source: string; at: Date };

/** The stored changes (newest first) plus the firmware the vehicle was registered with. */
function withRegistration(changes: FirmwareChange[], vehicle: VehicleRow): FirmwareChange[] {
  const first = changes.at(-1);
  const registeredWith = first?.from ?? vehicle.firmware;
  return [...changes, { from: null, to: registeredWith, source: "registration", at: vehicle.createdAt }];
}

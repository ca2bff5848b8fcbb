import { sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../db/client";
import { prepared } from "../db/prepared";
import { sha256Hex } from "../lib/secrets";
import { carFields, carOfCode, readCodes } from "./track-batch";
import { trackContext } from "./track-context";
import { type ReleaseView, type TrackedVehicle, carStatus, releaseView } from "./track-status";

export type { TrackedVehicle } from "./track-status";

const codeLookup = (db: DbOrTx) => db.select(carFields).from(carOfCode(sql`${sql.placeholder("hash")}`)).prepare("vehicle_for_code");

const toVehicle = (row: TrackedVehicle): TrackedVehicle => ({
  id: Number(row.id),
  vin: row.vin,
  model: row.model,
  hardware: row.hardware,
  region: row.region,
  channel: row.channel,
  firmware: row.firmware,
  shared: row.shared,
});

/** The vehicle behind an owner code or a live share link: one prepared query on two hash indexes. */
export async function vehicleForCode(db: Db, code: string, now: Date): Promise<TrackedVehicle | null> {
  const [row] = await prepared(db, "vehicle_for_code", codeLookup).execute({ hash: sha256Hex(code), now: now.toISOString() });
  return row ? toVehicle(row) : null;
}

export type OwnerStatus = ReturnType<typeof carStatus>;

/** The owner's status behind each code's hash (see secrets.ts); an unknown, expired or revoked code has none. One round trip. */
export async function trackCodes(db: Db, codeHashes: readonly string[], now: Date, beatMs: number): Promise<Map<string, OwnerStatus>> {
  const { releases, cars } = await readCodes(db, codeHashes, now);
  // The release's part of the status, derived once for all its cars.
  const views = new Map<number, ReleaseView | null>();
  for (const [id, context] of releases) views.set(id, releaseView(context, now));
  const viewOf = (releaseId: number | null) => {
    if (releaseId === null) return null;
    const view = views.get(releaseId);
    if (view === undefined) throw new Error(`track_by_codes: no release context for release ${releaseId}`);
    return view;
  };
  return new Map(cars.map(({ codeHash, vehicle, releaseId, car }) => [codeHash, carStatus(vehicle, viewOf(releaseId), car, now, beatMs)]));
}

/** The owner's status in the SPEC's fixed shape. */
export async function trackVehicle(db: Db, vehicle: TrackedVehicle, now: Date, beatMs: number) {
  const context = await trackContext(db, vehicle);
  return carStatus(vehicle, releaseView(context, now), context, now, beatMs);
}

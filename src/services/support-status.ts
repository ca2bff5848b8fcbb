import type { Db } from "../db/client";
import { localizeStatus } from "../domain/localize-status";
import { type AnswerFacts, supportAnswers } from "../domain/support-answer";
import { beatMs } from "./owner-answers";
import { getRelease } from "./releases";
import { type TrackedVehicle, trackVehicle } from "./track";
import { vehicleDetail } from "./vehicles";

type Vehicle = Omit<TrackedVehicle, "shared">;
type Event = { version: string; state: string; errorCode: string | null };

/**
 * What support reads about a car: the owner's status from the very function
 * behind /v1/track (so it cannot differ), in English, and the standard answer
 * in each language, generated from the status as owners in that language read it.
 */
export async function supportStatus(db: Db, vehicle: Vehicle, newestEventsFirst: Event[], now: Date, beatMs: number) {
  const owned = await trackVehicle(db, { ...vehicle, shared: false }, now, beatMs);
  const version = owned.release?.version;
  const failure = owned.state === "failed" ? newestEventsFirst.find((e) => e.version === version && e.state === "failed") : undefined;
  const facts: AnswerFacts = { hardware: vehicle.hardware, region: vehicle.region, errorCode: failure?.errorCode ?? null };
  if (owned.state === "not_eligible" && owned.reasonCode === "min_version" && version) {
    facts.minVersion = (await getRelease(db, version)).eligibility.minVersion ?? null;
  }
  return { status: localizeStatus(owned, "en"), answer: supportAnswers((lang) => localizeStatus(owned, lang), facts) };
}

/** Everything support reads about one car: its record, audited, with the owner's status and the standard answer. */
export async function supportView({ db, vin, actor, at }: { db: Db; vin: string; actor: string; at: Date }) {
  const detail = await vehicleDetail({ db, vin, actor, at });
  const { status, answer } = await supportStatus(db, detail.vehicle, detail.events, at, beatMs);
  return { ...detail, status, answer };
}

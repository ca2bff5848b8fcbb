import type { Db } from "../db/client";
import { localizeStatus } from "../domain/localize-status";
import { type AnswerFacts, supportAnswers } from "../domain/support-answer";
import { matchingIssues } from "../domain/known-issues";
import { englishOf } from "../domain/localized-text";
import { type KnownIssueCache, attachKnownIssues, issuesFor, releaseKnownIssues } from "./known-issue-cache";
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
export async function supportStatus(db: Db, vehicle: Vehicle, newestEventsFirst: Event[], now: Date, beatMs: number, knownIssues: KnownIssueCache) {
  const owned = await trackVehicle(db, { ...vehicle, shared: false }, now, beatMs);
  const version = owned.release?.version;
  const failure = owned.state === "failed" ? newestEventsFirst.find((e) => e.version === version && e.state === "failed") : undefined;
  // Through the owners' cache, so support reads the very issues and counts the owner sees.
  const issues = await issuesFor(knownIssues, db, owned);
  // Support links a case to what the car reported last: its newest failed report's code, in that report's release.
  const lastFailure = newestEventsFirst.find((e) => e.state === "failed" && e.errorCode);
  const matching = lastFailure ? matchingIssues(await releaseKnownIssues(knownIssues, db, lastFailure.version), lastFailure.errorCode) : [];
  const facts: AnswerFacts = { hardware: vehicle.hardware, region: vehicle.region, errorCode: failure?.errorCode ?? null, matchingKnownIssueIds: matching.map((i) => i.id) };
  if (owned.state === "not_eligible" && owned.reasonCode === "min_version" && version) {
    facts.minVersion = (await getRelease(db, version)).eligibility.minVersion ?? null;
  }
  const statusIn = (lang: string) => attachKnownIssues(localizeStatus(owned, lang), issues, lang);
  const matchingKnownIssues = matching.map(({ id, title, status, fixedIn, reports, errorCodes }) => ({
    id,
    version: lastFailure?.version ?? "",
    title: englishOf(title),
    status,
    fixedIn,
    reports,
    errorCodes,
  }));
  return { status: statusIn("en"), answer: supportAnswers(statusIn, facts), matchingKnownIssues };
}

/** Everything support reads about one car: its record, audited, with the owner's status and the standard answer. */
export async function supportView({ db, vin, actor, at, knownIssues }: { db: Db; vin: string; actor: string; at: Date; knownIssues: KnownIssueCache }) {
  const detail = await vehicleDetail({ db, vin, actor, at });
  const { status, answer, matchingKnownIssues } = await supportStatus(db, detail.vehicle, detail.events, at, beatMs, knownIssues);
  return { ...detail, status, answer, matchingKnownIssues };
}

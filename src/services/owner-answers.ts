import type { Db } from "../db/client";
import { DomainError } from "../domain/errors";
import { type AnswerCache, answerCache } from "../lib/answer-cache";
import type { Clock } from "../lib/clock";
import { sha256Hex } from "../lib/secrets";
import { trackCode, type trackVehicle } from "./track";

/** An owner's status, or null for a code that is unknown, expired or revoked. */
export type OwnerAnswer = Awaited<ReturnType<typeof trackVehicle>> | null;
export type OwnerAnswers = AnswerCache<OwnerAnswer>;

/** Offers land on the next beat of the clock; ETAs include one beat. */
export const beatMs = 60_000;

/** Unknown, expired and revoked codes look the same from outside. */
export const unknownCode = () => new DomainError("not_found", "No vehicle is tracked with this code, or the link has expired.");

/**
 * Owner answers by the code's hash (never the code, never the VIN), each at most
 * `maxAgeMs` old. Unknown codes are kept as briefly as known ones: a guessing
 * flood of one code costs one read a second, and a code created a moment ago
 * works within the same bound. ~2 KB an answer: 10,000 answers ≈ 20 MB.
 */
export function ownerAnswerCache({ clock, maxAgeMs, maxEntries = 10_000 }: { clock: Clock; maxAgeMs: number; maxEntries?: number }): OwnerAnswers {
  return answerCache<OwnerAnswer>({ clock, maxAgeMs, maxEntries });
}

export const codeKey = (code: string) => sha256Hex(code);

/** The owner's status behind a tracking code, from the cache while it is fresh. */
export async function ownerAnswer(answers: OwnerAnswers, db: Db, code: string) {
  const key = codeKey(code);
  const status = await answers.get(key, (now) => trackCode(db, key, now, beatMs));
  if (!status) throw unknownCode();
  return status;
}

import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { releases } from "../db/schema";
import type { LocalizedText } from "../domain/localized-text";
import { requireCurrentEtag } from "../domain/release-state";
import { recordAudit } from "./audit-write";
import { type R156Fields, getRelease, lockRelease, notesColumns, releaseEtag } from "./releases";

export type ReleaseDetailsEdit = R156Fields & { notes?: LocalizedText };

type Edit = { db: Db; version: string; input: ReleaseDetailsEdit; ifMatch: string | undefined; actor: string; now: Date };

/**
 * Edits what owners read about a release (notes, the UN R156 fields) in any
 * state: a correction must reach owners even mid-rollout. Under If-Match like
 * the wave plan, so two editors never overwrite each other unseen.
 */
export function updateReleaseDetails({ db, version, input, ifMatch, actor, now }: Edit) {
  return db.transaction(async (tx) => {
    const release = await lockRelease(tx, version);
    requireCurrentEtag({ dryRun: false, ifMatch }, releaseEtag(release));
    const { notes, ...r156 } = input;
    const changed = { ...(notes === undefined ? {} : notesColumns(notes)), ...r156 };
    // Object.keys types keys as string; they are the validated body's own keys.
    const before = Object.fromEntries(Object.keys(input).map((key) => [key, release[key as keyof ReleaseDetailsEdit] ?? null]));
    await tx
      .update(releases)
      .set({ ...changed, revision: sql`${releases.revision} + 1`, updatedAt: now })
      .where(eq(releases.id, release.id));
    await recordAudit(tx, { actor, action: "release.updated", at: now, releaseId: release.id, before, after: input });
    return getRelease(tx, version);
  });
}

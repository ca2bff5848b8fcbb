import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { releases } from "../db/schema";
import { foldCounterStripes } from "./queue-counts";
import { getRelease, lockRelease } from "./releases";
import { tickLocked } from "./rollout";
import { tickIsDue } from "./rules-due";

/**
 * One beat of the rollout clock for every release that is rolling out: the
 * Node server calls it on an interval, Workers from a cron trigger. Each
 * release ticks in its own transaction under its row lock, so overlapping
 * ticks (two instances, a slow cron) never apply a decision twice.
 */
export async function tickAll({ db, now }: { db: Db; now: Date }) {
  const rolling = await db.select({ version: releases.version }).from(releases).where(eq(releases.state, "rolling_out"));
  const results: { version: string; decisions: string[]; error?: string }[] = [];
  for (const { version } of rolling) {
    try {
      const decisions = await db.transaction(async (tx) => tickLocked(tx, await lockRelease(tx, version), now));
      results.push({ version, decisions: decisions.map((d) => d.kind) });
    } catch (error) {
      // One release failing must not stop the clock for the others.
      results.push({ version, decisions: [], error: error instanceof Error ? error.message : String(error) });
    }
  }
  await foldCounterStripes(db);
  return results;
}

/**
 * After reports land: evaluate the rules of the releases they touched right
 * away. A release whose row is locked is being ticked by someone else, who
 * sees the same counts, so it is skipped rather than waited for. A release
 * where nothing is due is not locked at all (services/rules-due.ts).
 */
export async function tickAfterReports({ db, versions, now }: { db: Db; versions: string[]; now: Date }) {
  for (const version of versions) {
    if (!(await tickIsDue(db, version, now))) continue;
    await db.transaction(async (tx) => {
      const [row] = await tx
        .select({ id: releases.id })
        .from(releases)
        .where(and(eq(releases.version, version), eq(releases.state, "rolling_out")))
        .for("no key update", { skipLocked: true });
      if (row) await tickLocked(tx, await getRelease(tx, version), now);
    });
  }
}

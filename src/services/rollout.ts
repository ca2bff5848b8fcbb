import { and, eq, sql } from "drizzle-orm";
import type { Db, DbOrTx, Tx } from "../db/client";
import { queueEntries, releaseEvents, releases, supportCases, waves } from "../db/schema";
import { requireAllowed } from "../domain/release-state";
import { resumeClock } from "../domain/clock-timers";
import { type ClockDecision, decideTick } from "../domain/rollout-clock";
import { waveRanges } from "../domain/waves";
import type { StateCounts } from "../domain/update-state";
import type { WaveClockRow } from "./release-model";
import { type LocalizedText, englishOf } from "../domain/localized-text";
import { recordAudit } from "./audit-write";
import { type WebhookEventType, enqueueWebhookEvent } from "./webhooks";
import { countsByWave } from "./queue-counts";
import { enqueueReleasePush } from "./push-outbox";
import { buildQueue } from "./queue";
import { type ReleaseView, getRelease, lockRelease } from "./releases";

type Change = { db: Db; version: string; actor: string; now: Date };

const bump = { revision: sql`${releases.revision} + 1` };

const webhookTypes: Record<string, WebhookEventType | undefined> = {
  wave_opened: "wave.opened",
  paused: "release.paused",
  resumed: "release.resumed",
  halted: "release.halted",
  completed: "release.completed",
};

/** A release event for owners' timelines, and the same event into the webhook and push outboxes. */
async function recordEvent(tx: Tx, release: ReleaseView, kind: string, now: Date, extra: { wave?: number; message?: string } = {}, localized?: LocalizedText) {
  await tx.insert(releaseEvents).values({ releaseId: release.id, kind, at: now, waveIndex: extra.wave ?? null, message: extra.message ?? null, messageLocalized: localized ?? null });
  const type = webhookTypes[kind];
  if (type) await enqueueWebhookEvent(tx, type, [{ version: release.version, ...extra, at: now.toISOString() }], now);
  await notifyOwners(tx, release, kind, now, extra.wave, localized ?? extra.message);
}

/** Owners who asked to be notified: a wave opening tells its own cars; a pause, resume or halt tells every car still waiting. */
async function notifyOwners(tx: Tx, release: ReleaseView, kind: string, now: Date, wave: number | undefined, message: LocalizedText | undefined) {
  const base = { releaseId: release.id, at: now };
  if (kind === "wave_opened" && wave !== undefined) {
    const range = waveRanges(release.waves.map((w) => w.share), release.queueSize)[wave - 1];
    if (range) await enqueueReleasePush(tx, { ...base, event: "wave_opened", data: { version: release.version, wave }, positions: { after: range.from - 1, through: range.to } });
  } else if (kind === "paused" || kind === "resumed" || kind === "halted") {
    await enqueueReleasePush(tx, { ...base, event: kind, data: { version: release.version, message: message ?? null } });
  }
}

/** Support cases linked to each wave, read only when a wave has a case rule (one indexed query). */
export async function casesByWave(db: DbOrTx, release: { id: number; waves: readonly Pick<WaveClockRow, "stopAt">[] }): Promise<Map<number, number>> {
  if (!release.waves.some((w) => w.stopAt?.maxCasesPerThousand !== undefined)) return new Map();
  const rows = await db
    .select({ wave: supportCases.waveIndex, n: sql<number>`count(*)::int` })
    .from(supportCases)
    .where(eq(supportCases.releaseId, release.id))
    .groupBy(supportCases.waveIndex);
  return new Map(rows.flatMap((r) => (r.wave === null ? [] : [[r.wave, Number(r.n)] as const])));
}

/** What the rules of each wave (1-based) judge: its installs and failures, and its linked support cases. */
export const outcomesOf = (counts: StateCounts[], cases: Map<number, number>) => (wave: number) => ({
  installed: counts[wave - 1]?.installed ?? 0,
  failed: counts[wave - 1]?.failed ?? 0,
  cases: cases.get(wave) ?? 0,
});

/**
 * Runs the clock for one locked release and applies what it decides.
 * `freshQueue`: the queue was built in this transaction, so no car has an
 * outcome yet and there is nothing to count (counting the first wave of a
 * million-car queue read it whole: ~0.3 s of a start).
 */
export async function tickLocked(tx: Tx, release: ReleaseView, now: Date, actor = "clock", { freshQueue = false } = {}) {
  if (release.state !== "rolling_out") return [];
  const ranges = waveRanges(release.waves.map((w) => w.share), release.queueSize);
  const counts = freshQueue ? [] : await countsByWave(tx, release.id, ranges);
  const cases = await casesByWave(tx, release);
  const { decisions } = decideTick(release.clock, outcomesOf(counts, cases), now);
  let offeredThrough = release.offeredThrough;
  for (const decision of decisions) {
    offeredThrough = await applyClockDecision(tx, release, decision, offeredThrough, now, actor);
  }
  return decisions;
}

/**
 * Ticks the release as this transaction has left it and answers with the
 * release as the tick left it. A tick that decided nothing wrote nothing, so
 * the release it read is the answer: reading it again cost two more round
 * trips on every re-plan.
 */
export async function tickAndRead(tx: Tx, version: string, now: Date, actor: string, options: { freshQueue?: boolean } = {}) {
  const release = await getRelease(tx, version);
  const decisions = await tickLocked(tx, release, now, actor, options);
  return decisions.length > 0 ? getRelease(tx, version) : release;
}

async function applyClockDecision(tx: Tx, release: ReleaseView, decision: ClockDecision, offeredThrough: number, now: Date, actor: string) {
  const id = release.id;
  switch (decision.kind) {
    case "open_wave":
      await tx.update(waves).set({ state: "done", doneAt: now }).where(and(eq(waves.releaseId, id), eq(waves.state, "active")));
      await tx.update(waves).set({ state: "active", openedAt: now }).where(and(eq(waves.releaseId, id), eq(waves.index, decision.wave)));
      await tx.update(releases).set({ clockStartedAt: now, offeredAtClockStart: offeredThrough, updatedAt: now, ...bump }).where(eq(releases.id, id));
      await recordEvent(tx, release, "wave_opened", now, { wave: decision.wave });
      await recordAudit(tx, { actor, action: "wave.opened", at: now, releaseId: id, after: { wave: decision.wave } });
      return offeredThrough;
    case "offer":
      // One range update on the (release, position) index, however large the wave.
      await tx
        .update(queueEntries)
        .set({ state: "offered", offeredAt: now, updatedAt: now })
        .where(and(eq(queueEntries.releaseId, id), sql`${queueEntries.position} > ${offeredThrough}`, sql`${queueEntries.position} <= ${decision.through}`, eq(queueEntries.state, "queued")));
      await tx.update(releases).set({ offeredThrough: decision.through, updatedAt: now }).where(eq(releases.id, id));
      await enqueueReleasePush(tx, { releaseId: id, event: "offered", data: { version: release.version }, at: now, positions: { after: offeredThrough, through: decision.through }, states: ["offered"] });
      return decision.through;
    case "wave_fully_offered":
      await tx
        .update(waves)
        .set({ fullyOfferedAt: now, soakStartedAt: now, fullyOfferedThrough: offeredThrough })
        .where(and(eq(waves.releaseId, id), eq(waves.index, decision.wave)));
      return offeredThrough;
    case "stop": {
      // Owners read it in their language like any notice a person writes.
      const message = {
        en: "The update is on hold while we look into an issue. Nothing is needed from you.",
        nl: "De update staat even stil terwijl we een probleem onderzoeken. U hoeft niets te doen.",
        de: "Das Update ist angehalten, während wir ein Problem untersuchen. Sie müssen nichts tun.",
      };
      await stopLocked(tx, release, decision.action, now, `rule:stopAt wave ${decision.wave}`, { reason: decision.reason, message });
      return offeredThrough;
    }
    case "complete":
      await tx.update(waves).set({ state: "done", doneAt: now }).where(and(eq(waves.releaseId, id), eq(waves.state, "active")));
      await tx.update(releases).set({ state: "completed", completedAt: now, updatedAt: now, ...bump }).where(eq(releases.id, id));
      await recordEvent(tx, release, "completed", now);
      await recordAudit(tx, { actor, action: "release.completed", at: now, releaseId: id, before: { state: release.state }, after: { state: "completed" } });
      return offeredThrough;
  }
}

/** Pause or halt; a halt cancels every update not yet offered. */
async function stopLocked(tx: Tx, release: ReleaseView, action: "pause" | "halt", now: Date, actor: string, text: { reason?: string; message: LocalizedText }) {
  const state = action === "pause" ? "paused" : "halted";
  const english = englishOf(text.message);
  await tx
    .update(releases)
    .set({ state, noticeKind: state, noticeMessage: english, noticeMessageLocalized: text.message, noticeAt: now, haltReason: action === "halt" ? (text.reason ?? null) : null, pausedAt: action === "pause" ? now : null, updatedAt: now, ...bump })
    .where(eq(releases.id, release.id));
  if (action === "halt") {
    await tx
      .update(queueEntries)
      .set({ state: "cancelled", updatedAt: now })
      .where(and(eq(queueEntries.releaseId, release.id), eq(queueEntries.state, "queued")));
  }
  // Webhook receivers keep getting the English text; owners' timelines read theirs.
  await recordEvent(tx, release, state, now, { message: english }, text.message);
  await recordAudit(tx, { actor, action: `release.${state}`, at: now, releaseId: release.id, before: { state: release.state }, after: { state, ...text } });
}

export function startRelease({ db, version, actor, now }: Change) {
  return db.transaction(async (tx) => {
    const release = await lockRelease(tx, version);
    requireAllowed(release, "start");
    const queueSize = await buildQueue(tx, release, now);
    await tx.update(releases).set({ state: "rolling_out", queueSize, startedAt: now, updatedAt: now, ...bump }).where(eq(releases.id, release.id));
    await recordEvent(tx, release, "started", now);
    await recordAudit(tx, { actor, action: "release.started", at: now, releaseId: release.id, before: { state: "draft" }, after: { state: "rolling_out", queueSize } });
    return tickAndRead(tx, version, now, actor, { freshQueue: true });
  });
}

export function pauseRelease({ db, version, actor, now, message }: Change & { message: LocalizedText }) {
  return db.transaction(async (tx) => {
    const release = await lockRelease(tx, version);
    requireAllowed(release, "pause");
    await stopLocked(tx, release, "pause", now, actor, { message });
    return getRelease(tx, version);
  });
}

export function haltRelease({ db, version, actor, now, reason, message }: Change & { reason: string; message: LocalizedText }) {
  return db.transaction(async (tx) => {
    const release = await lockRelease(tx, version);
    requireAllowed(release, "halt");
    await stopLocked(tx, release, "halt", now, actor, { reason, message });
    return getRelease(tx, version);
  });
}

export function resumeRelease({ db, version, actor, now }: Change) {
  return db.transaction(async (tx) => {
    const release = await lockRelease(tx, version);
    requireAllowed(release, "resume");
    // The timers continue where they stood: paused time counts for neither the rate nor the soak.
    const resumed = resumeClock(release.clock, now);
    await tx
      .update(releases)
      .set({ state: "rolling_out", noticeKind: null, noticeMessage: null, noticeMessageLocalized: null, noticeAt: null, pausedAt: null, clockStartedAt: resumed.clockStartedAt, offeredAtClockStart: resumed.offeredAtClockStart, updatedAt: now, ...bump })
      .where(eq(releases.id, release.id));
    const active = resumed.waves.find((w) => w.state === "active" && w.soakStartedAt);
    if (active) await tx.update(waves).set({ soakStartedAt: active.soakStartedAt }).where(and(eq(waves.releaseId, release.id), eq(waves.index, active.index)));
    await recordEvent(tx, release, "resumed", now);
    await recordAudit(tx, { actor, action: "release.resumed", at: now, releaseId: release.id, before: { state: "paused" }, after: { state: "rolling_out" } });
    return tickAndRead(tx, version, now, actor);
  });
}

/** Opens the next wave now; on the last wave, fully offered, completes the release. */
export function advanceRelease({ db, version, actor, now }: Change) {
  return db.transaction(async (tx) => {
    const release = await lockRelease(tx, version);
    const { step } = requireAllowed(release, "advance");
    await applyClockDecision(tx, release, step, release.offeredThrough, now, actor);
    return tickAndRead(tx, version, now, actor);
  });
}

import { and, asc, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { theRow } from "../db/rows";
import { webhooks } from "../db/schema";
import { notFound } from "../domain/errors";
import { ApiError } from "../lib/problem";
import { type ResolveHost, type WebhookTargets, targetProblem } from "../lib/public-address";
import { newSecret } from "../lib/secrets";
import { recordAudit } from "./audit-write";
import type { WebhookEventType } from "./webhooks";

// What an admin may see of a subscription: everything but its secret.
const shown = { id: webhooks.id, url: webhooks.url, eventTypes: webhooks.eventTypes, createdAt: webhooks.createdAt };
// The column is text[]; only the API (which validates eventTypes against the closed list) writes it.
const typed = <T extends { eventTypes: string[] }>(row: T) => ({ ...row, eventTypes: row.eventTypes as WebhookEventType[] });

/**
 * A subscription; the signing secret is returned here once. The URL must be
 * a target `targets` allows, and so must every address its host resolves to
 * (delivery checks again: names can change).
 */
export async function createWebhook({
  db,
  input,
  actor,
  at,
  targets,
  resolve,
}: {
  db: Db;
  input: { url: string; eventTypes: WebhookEventType[] };
  actor: string;
  at: Date;
  targets: WebhookTargets;
  resolve?: ResolveHost;
}) {
  const refused = await targetProblem(input.url, targets, resolve);
  if (refused) {
    throw new ApiError("validation", `Webhooks go only to https URLs on public addresses: ${refused}.`, {
      errors: [{ field: "url", message: refused }],
    });
  }
  // 24 bytes = 192 bits: far beyond guessing, and HMAC-SHA256 gains nothing from a longer key.
  const secret = newSecret("whsec_", 24);
  return db.transaction(async (tx) => {
    const webhook = theRow(
      await tx.insert(webhooks).values({ url: input.url, eventTypes: input.eventTypes, secret, createdAt: at }).returning(shown),
    );
    // The secret stays out of the audit log: whoever reads the log must not be able to forge events.
    await recordAudit(tx, { actor, action: "webhook.created", at, after: webhook });
    return { ...typed(webhook), secret };
  });
}

/** The active subscriptions, oldest first, without their secrets. */
export async function listWebhooks({ db }: { db: Db }) {
  const rows = await db.select(shown).from(webhooks).where(isNull(webhooks.disabledAt)).orderBy(asc(webhooks.id));
  return rows.map(typed);
}

/**
 * Removes a subscription. The row stays, disabled, so the audit trail and the
 * deliveries already made keep their subscription; its pending deliveries are
 * left unsent (delivery skips disabled subscriptions) and no new ones are queued.
 */
export async function deleteWebhook({ db, id, actor, at }: { db: Db; id: number; actor: string; at: Date }) {
  await db.transaction(async (tx) => {
    const [webhook] = await tx
      .update(webhooks)
      .set({ disabledAt: at })
      .where(and(eq(webhooks.id, id), isNull(webhooks.disabledAt)))
      .returning(shown);
    if (!webhook) throw notFound(`Webhook ${id}`);
    await recordAudit(tx, { actor, action: "webhook.deleted", at, before: webhook });
  });
}

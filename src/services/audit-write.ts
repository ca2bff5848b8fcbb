import { auditLog } from "../db/schema";
import type { DbOrTx } from "../db/client";

export type AuditEntry = {
  actor: string;
  action: string;
  at: Date;
  releaseId?: number | null;
  vehicleId?: number | null;
  before?: unknown;
  after?: unknown;
};

/** Append-only: the log is written in the same transaction as the change it records. */
export async function recordAudit(db: DbOrTx, entry: AuditEntry) {
  await db.insert(auditLog).values({
    actor: entry.actor,
    action: entry.action,
    at: entry.at,
    releaseId: entry.releaseId ?? null,
    vehicleId: entry.vehicleId ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
}

import { and, desc, eq, gte, lt, lte, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { auditLog, releases, vehicles } from "../db/schema";

/** `from` and `to` are ISO timestamps, as the query validated them. */
export type AuditFilter = { release?: string; actor?: string; from?: string; to?: string; before?: number; limit: number };

/** Newest first, paged by id; each filter has an index behind it. */
export async function listAudit(db: Db, filter: AuditFilter) {
  const conditions: SQL[] = [];
  if (filter.release) conditions.push(eq(releases.version, filter.release));
  if (filter.actor) conditions.push(eq(auditLog.actor, filter.actor));
  if (filter.from) conditions.push(gte(auditLog.at, new Date(filter.from)));
  if (filter.to) conditions.push(lte(auditLog.at, new Date(filter.to)));
  if (filter.before) conditions.push(lt(auditLog.id, filter.before));
  const rows = await db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      actor: auditLog.actor,
      action: auditLog.action,
      release: releases.version,
      vin: vehicles.vin,
      before: auditLog.before,
      after: auditLog.after,
    })
    .from(auditLog)
    .leftJoin(releases, eq(releases.id, auditLog.releaseId))
    .leftJoin(vehicles, eq(vehicles.id, auditLog.vehicleId))
    .where(and(...conditions))
    .orderBy(desc(auditLog.id))
    .limit(filter.limit + 1);
  const page = rows.slice(0, filter.limit);
  return { entries: page, next: rows.length > filter.limit ? (page.at(-1)?.id ?? null) : null };
}

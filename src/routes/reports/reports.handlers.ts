import { fieldErrors } from "../../lib/create-router";
import type { AppRouteHandler } from "../../lib/types";
import { ApiError } from "../../lib/problem";
import { type Report, type ReportResult, recordReports } from "../../services/reports";
import { tickAfterReports } from "../../services/rollout-clock";
import { roleAllows } from "../../domain/roles";
import type * as routes from "./reports.routes";
import { ReportSchema } from "./reports.routes";

/** Allowed clock skew of a vehicle: reports from further in the future are refused. */
const maxSkewMs = 10 * 60_000;

function parseItem(item: unknown, now: Date): Report | ReportResult {
  const parsed = ReportSchema.safeParse(item);
  const eventId = typeof (item as { eventId?: unknown })?.eventId === "string" ? (item as { eventId: string }).eventId : null;
  if (!parsed.success) {
    return { eventId, status: "rejected", reason: fieldErrors(parsed.error.issues).map((e) => `${e.field}: ${e.message}`).join("; ") };
  }
  const at = new Date(parsed.data.at);
  if (at.getTime() > now.getTime() + maxSkewMs) return { eventId, status: "rejected", reason: "at: lies in the future" };
  return { ...parsed.data, at };
}

export const postReports: AppRouteHandler<typeof routes.postReports> = async (c) => {
  const principal = c.var.principal;
  if (!principal) throw new ApiError("unauthorized", "Reports need a gateway key or the vehicle's device token.");
  if (principal.kind === "key" && !roleAllows(principal.role, ["gateway"])) {
    throw new ApiError("forbidden", "Reports need the gateway role or the vehicle's own device token.");
  }
  const now = c.var.clock.now();
  const body = c.req.valid("json");
  // A single report was validated whole; a batch's items are judged one by one below.
  const items: unknown[] = "reports" in body ? body.reports : [body];
  const parsed = items.map((item) => parseItem(item, now));
  if (principal.kind === "device" && parsed.some((p) => "vin" in p && p.vin !== principal.vin)) {
    throw new ApiError("forbidden", "A device token may only report for its own vehicle.");
  }
  const valid = parsed.filter((p): p is Report => "vin" in p);
  const { results } = valid.length ? await recordReports({ db: c.var.db, reports: valid, now }) : { results: [] };
  // Safety rules react at once, outside the report's transaction; a busy release is ticked by whoever holds it.
  const versions = [...new Set(valid.map((r) => r.version))];
  if (versions.length) await tickAfterReports({ db: c.var.db, versions, now });

  let next = 0;
  const all = parsed.map((p) => ("vin" in p ? results[next++]! : p));
  const count = (status: ReportResult["status"]) => all.filter((r) => r.status === status).length;
  return c.json({ accepted: count("accepted"), duplicates: count("duplicate"), rejected: count("rejected"), results: all }, 200);
};

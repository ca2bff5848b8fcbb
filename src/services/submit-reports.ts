import type { Db } from "../db/client";
import { forbidden } from "../domain/errors";
import { isFromTheFuture } from "../domain/update-state";
import { fieldErrors } from "../lib/create-router";
// The item schema is the API's contract for one report: a single-report body is
// validated by the route, a batch's items one by one here, by the same schema.
import { ReportSchema } from "../routes/reports/reports.schemas";
import { recordReportsTogether } from "./report-batcher";
import type { Report, ReportResult } from "./reports";

const eventIdOf = (item: unknown) =>
  typeof item === "object" && item !== null && "eventId" in item && typeof item.eventId === "string" ? item.eventId : null;

/** One item of a batch: a report to apply, or its rejection with the reason (a bad item never fails the batch). */
function judgeItem(item: unknown, now: Date): Report | ReportResult {
  const parsed = ReportSchema.safeParse(item);
  const eventId = eventIdOf(item);
  if (!parsed.success) {
    return { eventId, status: "rejected", reason: fieldErrors(parsed.error.issues).map((e) => `${e.field}: ${e.message}`).join("; ") };
  }
  const at = new Date(parsed.data.at);
  if (isFromTheFuture(at, now)) return { eventId, status: "rejected", reason: "at: lies in the future" };
  return { ...parsed.data, at };
}

/**
 * A report request, whole: each item is judged on its own (schema, clock
 * skew), a device token may only speak for its own car (`onlyVin`), the valid
 * reports are applied in one transaction (shared with other requests arriving
 * at the same time: services/report-batcher.ts), and then the safety rules of
 * the releases they touched are evaluated in transactions of their own: a
 * release busy elsewhere is skipped rather than waited for, and the reports
 * stay committed whatever the rules decide. Results come back in the items' order.
 */
export async function submitReports({ db, items, onlyVin, now }: { db: Db; items: unknown[]; onlyVin: string | null; now: Date }) {
  const judged = items.map((item) => judgeItem(item, now));
  const valid = judged.filter((j): j is Report => "vin" in j);
  if (onlyVin !== null && valid.some((r) => r.vin !== onlyVin)) throw forbidden("A device token may only report for its own vehicle.");
  const results = valid.length ? await recordReportsTogether(db, valid, now) : [];

  let next = 0;
  const all = judged.map((j): ReportResult => {
    if (!("vin" in j)) return j;
    const result = results[next++];
    if (!result) throw new Error("recordReports answers every report it is given, in order");
    return result;
  });
  const count = (status: ReportResult["status"]) => all.filter((r) => r.status === status).length;
  return { accepted: count("accepted"), duplicates: count("duplicate"), rejected: count("rejected"), results: all };
}

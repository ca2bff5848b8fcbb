import { isFromTheFuture } from "../domain/update-state";
import { fieldErrors } from "../lib/create-router";
// The item schema is the API's contract for one report: a single-report body is
// validated by the route, a batch's items one by one here, by the same schema.
import { ReportSchema } from "../routes/reports/reports.routes";
import type { Report, ReportResult } from "./reports";

const eventIdOf = (item: unknown) =>
  typeof item === "object" && item !== null && "eventId" in item && typeof item.eventId === "string" ? item.eventId : null;

/** One item of a batch: a report to apply, or its rejection with the reason (a bad item never fails the batch). */
export function judgeItem(item: unknown, now: Date): Report | ReportResult {
  const parsed = ReportSchema.safeParse(item);
  const eventId = eventIdOf(item);
  if (!parsed.success) {
    return { eventId, status: "rejected", reason: fieldErrors(parsed.error.issues).map((e) => `${e.field}: ${e.message}`).join("; ") };
  }
  const at = new Date(parsed.data.at);
  if (isFromTheFuture(at, now)) return { eventId, status: "rejected", reason: "at: lies in the future" };
  return { ...parsed.data, at };
}

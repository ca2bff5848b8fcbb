export const updateStates = ["queued", "offered", "downloading", "installing", "installed", "failed", "cancelled", "skipped"] as const;
export type UpdateState = (typeof updateStates)[number];
export type StateCounts = Record<UpdateState, number>;

// Object.fromEntries types its keys as string; the entries are exactly updateStates.
export const emptyCounts = (): StateCounts => Object.fromEntries(updateStates.map((s) => [s, 0])) as StateCounts;

/** What a vehicle (or its gateway) may report; `offered` comes from the clock, the rest from the fleet. */
export const reportedStates = ["downloading", "installing", "installed", "failed"] as const;
export type ReportedState = (typeof reportedStates)[number];

/** How far along a state is: on reports at the same time, the further step wins (services/update-state-sql.ts reads it too). */
export const progressRank: Record<UpdateState, number> = {
  queued: 0,
  offered: 1,
  downloading: 2,
  installing: 3,
  installed: 4,
  failed: 1,
  cancelled: 0,
  skipped: 0,
};

/** Allowed clock skew of a vehicle: a report from further in the future is refused. */
export const maxClockSkewMs = 10 * 60_000;

export const isFromTheFuture = (at: Date, now: Date) => at.getTime() > now.getTime() + maxClockSkewMs;

export type EntryState = { state: UpdateState; stateAt: Date | null };

/**
 * The entry's state after a report, or null when the report changes nothing.
 * Reports may arrive twice or out of order, so the state is that of the
 * latest report by the vehicle's own clock (`at`; on a tie, the further step),
 * whatever order they arrive in: a late `downloading` never undoes a newer
 * `installing`, and a `downloading` after a `failed` is a retry. `installed`
 * is final and always wins: the car has the firmware.
 */
export function applyReport(entry: EntryState, report: { state: ReportedState; at: Date }): EntryState | null {
  const next = { state: report.state, stateAt: report.at };
  if (entry.state === "installed") {
    // Installed twice (a resent report): it happened at the first one.
    const earlier = report.state === "installed" && entry.stateAt !== null && report.at < entry.stateAt;
    return earlier ? next : null;
  }
  if (report.state === "installed") return next;
  if (entry.state === "skipped" || entry.state === "cancelled") return null;
  if (entry.stateAt === null) return next;
  const [reportAt, entryAt] = [report.at.getTime(), entry.stateAt.getTime()];
  const later = reportAt > entryAt || (reportAt === entryAt && progressRank[report.state] > progressRank[entry.state]);
  return later ? next : null;
}

export const updateStates = ["queued", "offered", "downloading", "installing", "installed", "failed", "cancelled", "skipped"] as const;
export type UpdateState = (typeof updateStates)[number];
export type StateCounts = Record<UpdateState, number>;

export const emptyCounts = (): StateCounts => Object.fromEntries(updateStates.map((s) => [s, 0])) as StateCounts;

/** What a vehicle (or its gateway) may report; `offered` comes from the clock, the rest from the fleet. */
export const reportedStates = ["downloading", "installing", "installed", "failed"] as const;
export type ReportedState = (typeof reportedStates)[number];

const progressRank: Record<UpdateState, number> = {
  queued: 0,
  offered: 1,
  downloading: 2,
  installing: 3,
  installed: 4,
  failed: 1,
  cancelled: 0,
  skipped: 0,
};

export type EntryState = { state: UpdateState; stateAt: Date | null };

/**
 * The entry's state after a report, or null when the report changes nothing.
 * Reports may arrive twice or out of order: `installed` is final and always
 * wins (the car has the firmware); otherwise a report older than the state it
 * would replace is ignored, so a late `downloading` never undoes progress.
 * After `failed`, a newer `downloading`/`installing` is a retry.
 */
export function applyReport(entry: EntryState, report: { state: ReportedState; at: Date }): EntryState | null {
  const next = { state: report.state, stateAt: report.at };
  if (entry.state === "installed") return null;
  if (report.state === "installed") return next;
  if (entry.state === "skipped" || entry.state === "cancelled") return null;
  const newer = entry.stateAt === null || report.at > entry.stateAt;
  if (report.state === "failed") return newer || entry.state === "queued" || entry.state === "offered" ? next : null;
  if (entry.state === "failed") return newer ? next : null;
  // Forward, or the same step seen again later (its time moves on with it).
  return progressRank[report.state] >= progressRank[entry.state] && newer ? next : null;
}

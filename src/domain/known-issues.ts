import { compareVersions } from "./version";

// Known issues of a release (SPEC: Known issues) as pure rules: which release
// an owner's known issues come from, and what a fix version may be.

export type KnownIssueStatus = "investigating" | "workaround" | "fixed";

/** What owners read about one issue (the track response's `knownIssues`). */
export type OwnerKnownIssue<Text = string> = { id: number; title: Text; status: KnownIssueStatus; fixedIn: string | null; reports: number };

type OwnerStatusFacts = { state: string; release: { version: string } | null; vehicle: { firmware: string } };

/**
 * The release whose known issues an owner sees: the one they wait for or are
 * installing (or that failed or was stopped on their car), else the firmware
 * they run — an owner up to date on 2026.44.1 still wants to read that its
 * charging issue is fixed in 2026.44.2.
 */
export function knownIssuesVersion(status: OwnerStatusFacts): string {
  if (status.release && status.state !== "up_to_date" && status.state !== "not_eligible") return status.release.version;
  return status.vehicle.firmware;
}

/** Why `fixedIn` cannot be the fix of an issue in `release`, or null: a fix comes in a newer version. */
export function fixedInProblem(release: string, fixedIn: string | null | undefined): string | null {
  if (fixedIn === null || fixedIn === undefined) return null;
  return compareVersions(fixedIn, release) > 0 ? null : `fixedIn ${fixedIn} must be newer than the release ${release} the issue is in.`;
}

/** The issues that match a failed report's error code, in their order. */
export function matchingIssues<I extends { errorCodes: readonly string[] }>(issues: readonly I[], errorCode: string | null | undefined): I[] {
  if (!errorCode) return [];
  return issues.filter((issue) => issue.errorCodes.includes(errorCode));
}

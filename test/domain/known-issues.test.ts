import { describe, expect, test } from "vitest";
import { fixedInProblem, knownIssuesVersion, matchingIssues } from "../../src/domain/known-issues";
import { supportAnswer } from "../../src/domain/support-answer";

const car = { firmware: "2026.38.2" };

describe("known issues", () => {
  test("owners see those of the release they wait for or run, else of the firmware they have", () => {
    for (const state of ["queued", "offered", "downloading", "installing", "installed", "failed", "cancelled"]) {
      expect(knownIssuesVersion({ state, release: { version: "2026.44.1" }, vehicle: car })).toBe("2026.44.1");
    }
    expect(knownIssuesVersion({ state: "up_to_date", release: { version: "2026.44.1" }, vehicle: { firmware: "2026.44.1" } })).toBe("2026.44.1");
    expect(knownIssuesVersion({ state: "up_to_date", release: null, vehicle: car })).toBe("2026.38.2");
    expect(knownIssuesVersion({ state: "not_eligible", release: { version: "2026.44.1" }, vehicle: car })).toBe("2026.38.2");
  });

  test("a fix comes in a newer version than the release", () => {
    expect(fixedInProblem("2026.44.1", "2026.44.2")).toBeNull();
    expect(fixedInProblem("2026.44.1", "2026.45")).toBeNull();
    expect(fixedInProblem("2026.44.1", null)).toBeNull();
    expect(fixedInProblem("2026.44.1", "2026.44.1")).toMatch(/newer than the release/);
    expect(fixedInProblem("2026.44.1", "2026.9.9")).not.toBeNull();
  });

  test("matching by the failed report's error code", () => {
    const issues = [{ id: 1, errorCodes: ["A", "B"] }, { id: 2, errorCodes: ["C"] }, { id: 3, errorCodes: [] }];
    expect(matchingIssues(issues, "B").map((i) => i.id)).toEqual([1]);
    expect(matchingIssues(issues, null)).toEqual([]);
    expect(matchingIssues(issues, "Z")).toEqual([]);
  });

  test("the support answer names the matching issue first, else at most three the owner sees", () => {
    const status = {
      vehicle: { model: "model3", firmware: "2026.38.2" },
      release: { version: "2026.44.1" },
      state: "installed" as const,
      queue: null,
      eta: null,
      notice: null,
      knownIssues: [1, 2, 3, 4].map((id) => ({ id, title: `Issue ${id}`, status: "fixed" as const, fixedIn: id === 2 ? "2026.44.2" : null })),
    };
    expect(supportAnswer(status, "en", { matchingKnownIssueIds: [2] })).toBe('Your car has installed update 2026.44.1. This matches a known issue: "Issue 2"; it is fixed in update 2026.44.2.');
    const all = supportAnswer(status, "de");
    expect(all).toContain("Es gibt ein bekanntes Problem mit diesem Update: „Issue 3“; es ist behoben.");
    expect(all).not.toContain("Issue 4");
    expect(supportAnswer({ ...status, knownIssues: [] }, "nl")).toBe("Uw auto heeft update 2026.44.1 geïnstalleerd.");
  });
});

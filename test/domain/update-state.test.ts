import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { type EntryState, type ReportedState, applyReport, reportedStates } from "../../src/domain/update-state";

const at = (m: number) => new Date(Date.UTC(2026, 10, 1, 8, m));
const offered: EntryState = { state: "offered", stateAt: null };

function fold(reports: { state: ReportedState; at: Date }[], start: EntryState = offered) {
  return reports.reduce((entry, report) => applyReport(entry, report) ?? entry, start);
}

describe("a vehicle's update state under reports", () => {
  test("moves forward through the happy path", () => {
    expect(fold([{ state: "downloading", at: at(1) }, { state: "installing", at: at(2) }, { state: "installed", at: at(3) }])).toEqual({ state: "installed", stateAt: at(3) });
  });

  test("a late downloading never undoes installed or installing", () => {
    expect(fold([{ state: "installed", at: at(3) }, { state: "downloading", at: at(1) }]).state).toBe("installed");
    expect(fold([{ state: "installing", at: at(3) }, { state: "downloading", at: at(1) }]).state).toBe("installing");
  });

  test("a failure can be followed by a retry, and a late failure does not undo the retry", () => {
    expect(fold([{ state: "failed", at: at(2) }, { state: "downloading", at: at(5) }]).state).toBe("downloading");
    expect(fold([{ state: "downloading", at: at(5) }, { state: "failed", at: at(2) }]).state).toBe("downloading");
    expect(fold([{ state: "failed", at: at(2) }, { state: "downloading", at: at(1) }]).state).toBe("failed");
  });

  test("skipped and cancelled entries only ever accept an install", () => {
    for (const state of ["skipped", "cancelled"] as const) {
      expect(applyReport({ state, stateAt: null }, { state: "downloading", at: at(1) })).toBeNull();
      expect(applyReport({ state, stateAt: null }, { state: "installed", at: at(1) })?.state).toBe("installed");
    }
  });

  test("any order of the same reports ends installed when an install is among them", () => {
    const report = fc.record({ state: fc.constantFrom(...reportedStates), at: fc.integer({ min: 0, max: 59 }).map(at) });
    fc.assert(
      fc.property(fc.array(report, { minLength: 1, maxLength: 8 }), (reports) => {
        const final = fold(reports);
        // the order they arrive in does not matter
        expect(fold([...reports].reverse())).toEqual(final);
        if (reports.some((r) => r.state === "installed")) expect(final.state).toBe("installed");
        // delivering the same reports again changes nothing (duplicates are harmless)
        expect(fold(reports, final)).toEqual(final);
      }),
      { numRuns: 2000 },
    );
  });
});

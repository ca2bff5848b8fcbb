import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { DomainError } from "../../src/domain/errors";
import {
  type ReleaseModel,
  type ReleaseState,
  allowedActions,
  decide,
  releaseActions,
  requireAllowed,
  requireCurrentEtag,
} from "../../src/domain/release-state";

const states: ReleaseState[] = ["draft", "rolling_out", "paused", "completed", "halted"];
const waveStates = ["pending", "active", "done"] as const;

/** Two waves of 10 and 30 vehicles; `opened` waves are done except the last opened, which is active. */
function release(state: ReleaseState, opened = 1, offeredThrough = 10): ReleaseModel {
  const waves = [1, 2].map((index) => ({ index, state: index < opened ? ("done" as const) : index === opened ? ("active" as const) : ("pending" as const) }));
  return { version: "2026.44.1", state, waves, offeredThrough, queueSize: 40 };
}

const anyRelease = fc.record({
  version: fc.constant("2026.44.1"),
  state: fc.constantFrom(...states),
  waves: fc.array(fc.constantFrom(...waveStates), { maxLength: 4 }).map((list) => list.map((state, i) => ({ index: i + 1, state }))),
  offeredThrough: fc.nat({ max: 50 }),
  queueSize: fc.nat({ max: 50 }),
});

describe("the release state machine", () => {
  test("allowedActions holds an action exactly when deciding it does not refuse, for every state and shape", () => {
    fc.assert(
      fc.property(anyRelease, (r) => {
        const allowed = allowedActions(r);
        for (const action of releaseActions) {
          const decision = decide(r, action);
          expect(allowed.includes(action), `${action} in ${r.state}`).toBe(decision.allowed);
          if (!decision.allowed) expect(() => requireAllowed(r, action)).toThrow(DomainError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  test("each state allows what the SPEC says: draft → rolling_out ⇄ paused → completed, or halted", () => {
    expect(allowedActions(release("draft", 0, 0))).toEqual(["start"]);
    expect(allowedActions(release("rolling_out"))).toEqual(["pause", "advance", "halt"]);
    // Paused: advance is refused (the console used to offer it), and halt is allowed.
    expect(allowedActions(release("paused"))).toEqual(["resume", "halt"]);
    expect(allowedActions(release("completed", 2, 40))).toEqual([]);
    expect(allowedActions(release("halted"))).toEqual([]);
  });

  test("a draft cannot be halted, nor started without a plan", () => {
    expect(decide(release("draft", 0, 0), "halt")).toMatchObject({ allowed: false, reason: expect.stringContaining("cannot halt") });
    const noPlan = { ...release("draft", 0, 0), waves: [] };
    expect(decide(noPlan, "start")).toEqual({ allowed: false, reason: expect.stringContaining("no waves yet") });
  });

  test("advance opens the next wave, completes from a last wave that reached everyone, and is refused in between", () => {
    expect(decide(release("rolling_out", 0, 0), "advance")).toEqual({ allowed: true, step: { kind: "open_wave", wave: 1 } });
    expect(decide(release("rolling_out", 1), "advance")).toEqual({ allowed: true, step: { kind: "open_wave", wave: 2 } });
    expect(decide(release("rolling_out", 2, 40), "advance")).toEqual({ allowed: true, step: { kind: "complete" } });
    expect(decide(release("rolling_out", 2, 25), "advance")).toEqual({ allowed: false, reason: expect.stringContaining("Wave 2 is the last wave") });
    expect(allowedActions(release("rolling_out", 2, 25))).toEqual(["pause", "halt"]);
  });

  test("the plan can change until the release is completed or halted", () => {
    for (const state of states) {
      expect(decide(release(state), "replan").allowed, state).toBe(state !== "completed" && state !== "halted");
    }
  });

  test("a plan edit needs the current ETag; a dry run may omit it", () => {
    const kindOf = (edit: { dryRun: boolean; ifMatch: string | undefined }) => {
      try {
        requireCurrentEtag(edit, '"1-2"');
        return "ok";
      } catch (error) {
        return (error as DomainError).kind;
      }
    };
    expect(kindOf({ dryRun: false, ifMatch: undefined })).toBe("precondition_required");
    expect(kindOf({ dryRun: false, ifMatch: '"1-1"' })).toBe("precondition_failed");
    expect(kindOf({ dryRun: false, ifMatch: '"1-2"' })).toBe("ok");
    expect(kindOf({ dryRun: true, ifMatch: undefined })).toBe("ok");
    expect(kindOf({ dryRun: true, ifMatch: '"1-1"' })).toBe("precondition_failed");
  });
});

import { describe, expect, test } from "vitest";
import { ineligibility } from "../../src/domain/eligibility";

const ineligibilityReason = (...args: Parameters<typeof ineligibility>) => ineligibility(...args)?.reason ?? null;

const car = { model: "model3", hardware: "HW3", region: "NL", channel: "stable", firmware: "2026.20.1" };
const release = (eligibility = {}) => ({ version: "2026.44.1", channel: "stable", eligibility });

describe("why a release does not apply", () => {
  test("applies when every rule is met or absent", () => {
    expect(ineligibilityReason(car, release())).toBeNull();
    expect(ineligibilityReason(car, release({ models: [], regions: ["NL"], minVersion: "2026.20.1" }))).toBeNull();
  });

  test.each([
    [{ models: ["modelY"] }, /model3 model/],
    [{ hardware: ["HW4"] }, /hardware HW3/],
    [{ regions: ["DE"] }, /region NL/],
    [{ minVersion: "2026.30.0" }, /2026\.30\.0 or newer/],
  ])("names the rule that excludes the car: %j", (eligibility, reason) => {
    expect(ineligibilityReason(car, release(eligibility))).toMatch(reason);
  });

  test("names the channel when it differs", () => {
    expect(ineligibilityReason({ ...car, channel: "beta" }, release())).toMatch(/stable channel/);
  });
});

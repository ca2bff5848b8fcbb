import { describe, expect, test } from "vitest";
import { fleetView, isPublicNow, percentOf, versionShares } from "../../src/domain/public-rollout";

const day = 86_400_000;
const now = new Date("2026-11-24T12:00:00Z");

describe("the public rollout picture", () => {
  test("rolling out and paused releases are public; completed ones for 30 days; drafts and halted ones not", () => {
    expect(isPublicNow({ state: "rolling_out", completedAt: null }, now)).toBe(true);
    expect(isPublicNow({ state: "paused", completedAt: null }, now)).toBe(true);
    expect(isPublicNow({ state: "completed", completedAt: new Date(now.getTime() - 30 * day) }, now)).toBe(true);
    expect(isPublicNow({ state: "completed", completedAt: new Date(now.getTime() - 30 * day - 1) }, now)).toBe(false);
    expect(isPublicNow({ state: "halted", completedAt: null }, now)).toBe(false);
    expect(isPublicNow({ state: "draft", completedAt: null }, now)).toBe(false);
  });

  test("percentages have one decimal, never exceed 100 and are 0 of nothing", () => {
    expect(percentOf(1, 3)).toBe(33.3);
    expect(percentOf(5, 4)).toBe(100);
    expect(percentOf(0, 0)).toBe(0);
  });

  test("versions under 20 vehicles fold into other, listed last; newest version first by numeric parts", () => {
    const rows = [
      { firmware: "2026.9.0", model: "m", region: "NL", vehicles: 30 },
      { firmware: "2026.10.0", model: "m", region: "NL", vehicles: 20 },
      { firmware: "2026.8.1", model: "m", region: "NL", vehicles: 19 },
      { firmware: "2026.8.0", model: "m", region: "DE", vehicles: 1 },
    ];
    expect(versionShares(rows)).toEqual([
      { version: "2026.10.0", vehicles: 20, percent: 28.6 },
      { version: "2026.9.0", vehicles: 30, percent: 42.9 },
      { version: "other", vehicles: 20, percent: 28.6 },
    ]);
  });

  test("a model or region under 20 vehicles folds into other; no bucket but other is under 20", () => {
    const rows = [
      { firmware: "2026.40.1", model: "model3", region: "NL", vehicles: 40 },
      { firmware: "2026.40.1", model: "modelY", region: "NL", vehicles: 12 },
      { firmware: "2026.40.1", model: "roadster", region: "BE", vehicles: 3 },
    ];
    const view = fleetView(rows);
    expect(view.vehicles).toBe(55);
    expect(view.byModel.map((g) => [g.name, g.vehicles])).toEqual([
      ["model3", 40],
      ["other", 15],
    ]);
    expect(view.byRegion.map((g) => [g.name, g.vehicles])).toEqual([
      ["NL", 52],
      ["other", 3],
    ]);
  });
});

// Small rules of the owner page, at the edges the browser tests do not reach.
import { describe, expect, test } from "vitest";
import { newestFirst } from "../../web/owner/detail-sections";
import { modelName } from "../../web/owner/display";

describe("owner page display rules", () => {
  test("model codes read as display names; others keep their spelling", () => {
    expect(modelName("model3")).toBe("Model 3");
    expect(modelName("modelY")).toBe("Model Y");
    expect(modelName("model_s")).toBe("Model S");
    expect(modelName("cybertruck")).toBe("Cybertruck");
  });

  test("the timeline is newest first, and steps of one instant in the order an update lives them", () => {
    const at = "2026-11-24T08:00:00.000Z";
    const later = "2026-11-24T09:00:00.000Z";
    const steps = [
      { state: "queued", at },
      { state: "offered", at },
      { state: "wave_opened", at },
      { state: "paused", at: later },
      { state: "resumed", at: later },
    ];
    expect(newestFirst(steps).map((s) => s.state)).toEqual(["resumed", "paused", "offered", "wave_opened", "queued"]);
  });
});

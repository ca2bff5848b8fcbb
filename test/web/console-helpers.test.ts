// The console's pure helpers: per-language values, the installs series and
// the audit diff. No DOM needed.
import { describe, expect, test } from "vitest";
import { fieldChanges, fieldName, valueText } from "../../web/console/audit-diff";
import { installSeries } from "../../web/console/install-series";
import { listText, localizedList, localizedText, writtenIn } from "../../web/console/localized-fields";

describe("per-language fields", () => {
  test("a missing language stays missing, English alone stays a plain string, and languages the console does not edit are kept", () => {
    expect(writtenIn("Faster charging", "nl")).toBeUndefined();
    expect(writtenIn({ en: "early", nl: "vroeg" }, "nl")).toBe("vroeg");
    expect(localizedText({ en: " early ", nl: "", de: "" })).toBe("early");
    expect(localizedText({ en: "early", nl: "vroeg" })).toEqual({ en: "early", nl: "vroeg" });
    expect(localizedText({ en: "early" }, { en: "old", fr: "tôt" })).toEqual({ en: "early", fr: "tôt" });
    expect(localizedList({ en: "Park the car\n\n Connect to Wi-Fi ", nl: "" })).toEqual(["Park the car", "Connect to Wi-Fi"]);
    expect(localizedList({ en: "", nl: "", de: "" })).toBeNull();
    expect(localizedList({ en: "Driving", de: "Fahren" })).toEqual({ en: ["Driving"], de: ["Fahren"] });
    expect(listText({ en: ["Park", "Charge"] }, "en")).toBe("Park\nCharge");
  });
});

describe("installs over time", () => {
  const now = Date.parse("2026-11-24T10:30:00Z");

  test("one busy hour is one bar among at least twelve, and the running total starts at zero", () => {
    const s = installSeries([{ at: "2026-11-24T10:00:00Z", count: 22 }], now);
    expect(s.starts.length).toBeGreaterThanOrEqual(12);
    expect(s.counts.filter((c) => c > 0)).toEqual([22]);
    expect(s.cumulative[0]).toBe(0);
    expect(s.cumulative.at(-1)).toBe(22);
  });

  test("hours without installs get empty bars; a long rollout is counted per day", () => {
    const hourly = installSeries([{ at: "2026-11-24T02:00:00Z", count: 5 }, { at: "2026-11-24T06:00:00Z", count: 7 }], now);
    expect(hourly.bucketMs).toBe(3_600_000);
    expect(hourly.counts.reduce((a, b) => a + b, 0)).toBe(12);
    const daily = installSeries([{ at: "2026-11-10T02:00:00Z", count: 5 }, { at: "2026-11-24T06:00:00Z", count: 7 }], now);
    expect(daily.bucketMs).toBe(86_400_000);
    expect(daily.cumulative.at(-1)).toBe(12);
  });
});

describe("audit diff", () => {
  test("a re-plan reads field by field, list items counted from 1", () => {
    const changes = fieldChanges({ waves: [{ name: "early", share: 2 }, { name: "adopters", share: 25 }] }, { waves: [{ name: "early", share: 2 }, { name: "adopters", share: 40 }] });
    expect(changes.map((c) => [fieldName(c.path), valueText(c.before), valueText(c.after)])).toEqual([["waves › 2 › share", "25", "40"]]);
  });

  test("a creation lists every field; text that became per-language shows what went and what came", () => {
    expect(fieldChanges(null, { state: "paused" }).map((c) => [fieldName(c.path), valueText(c.before), valueText(c.after)])).toEqual([["state", "—", "paused"]]);
    const rows = fieldChanges({ notes: "Hi" }, { notes: { en: "Hi", nl: "Hoi" } }).map((c) => [fieldName(c.path), valueText(c.before), valueText(c.after)]);
    expect(rows).toEqual([["notes", "Hi", "—"], ["notes › en", "—", "Hi"], ["notes › nl", "—", "Hoi"]]);
    expect(fieldChanges({ a: 1 }, { a: 1 })).toEqual([]);
  });
});

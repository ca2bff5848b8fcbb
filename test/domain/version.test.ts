import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { compareVersions, isVersion, versionParts } from "../../src/domain/version";

describe("firmware versions", () => {
  test.each(["2026.44.1", "2026.9", "1.0.0.7", "0.1"])("%s is a version", (v) => expect(isVersion(v)).toBe(true));
  test.each(["2026", "2026.44.1.2.3", "2026.04.1", "v2026.44.1", "2026..1", "2026.44.1 ", "", "2026.44.x", "2026.1234567890.1"])(
    "%j is not a version",
    (v) => expect(isVersion(v)).toBe(false),
  );

  test("orders by numeric parts, not as text", () => {
    expect(compareVersions("2026.9.0", "2026.10.0")).toBeLessThan(0);
    expect(compareVersions("2026.44.1", "2026.44.1")).toBe(0);
    expect(compareVersions("2026.44", "2026.44.0")).toBeLessThan(0);
    const sorted = ["2026.10.0", "2026.9.3", "2025.52.1", "2026.9.10"].sort(compareVersions);
    expect(sorted).toEqual(["2025.52.1", "2026.9.3", "2026.9.10", "2026.10.0"]);
  });

  test("ordering agrees with comparing the parts as numbers, like Postgres int[]", () => {
    const version = fc.array(fc.nat({ max: 99999 }), { minLength: 2, maxLength: 4 }).map((p) => p.join("."));
    fc.assert(
      fc.property(version, version, (a, b) => {
        const pa = versionParts(a);
        const pb = versionParts(b);
        let expected = 0;
        for (let i = 0; i < Math.min(pa.length, pb.length) && expected === 0; i++) expected = Math.sign(pa[i]! - pb[i]!);
        if (expected === 0) expected = Math.sign(pa.length - pb.length);
        expect(Math.sign(compareVersions(a, b))).toBe(expected);
        expect(Math.sign(compareVersions(b, a))).toBe(-expected);
      }),
    );
  });
});

import { describe, expect, test } from "vitest";
import { maskVin, normalizeVin, vinProblem } from "../../src/domain/vin";

describe("VIN (ISO 3779)", () => {
  test("accepts 17 digits and capitals", () => {
    expect(vinProblem("5YJ3E1EA1KF000123")).toBeNull();
  });

  test.each([
    ["5YJ3E1EA1KF00012", "17 characters"],
    ["5YJ3E1EA1KF0001234", "17 characters"],
    ["5YJ3E1EA1KF00O123", "'O'"],
    ["5YJ3E1EA1KF00I123", "'I'"],
    ["5YJ3E1EA1KF00Q123", "'Q'"],
    ["5YJ3E1EA1KF00-123", "'-'"],
  ])("rejects %s", (vin, why) => {
    expect(vinProblem(vin)).toContain(why);
  });

  test("normalizes case and whitespace before checking", () => {
    expect(normalizeVin(" 5yj3e1ea1kf000123 ")).toBe("5YJ3E1EA1KF000123");
  });

  test("masks the middle but keeps the make and the last digits", () => {
    expect(maskVin("5YJ3E1EA1KF000123")).toBe("5YJ3E1EA1*****123");
  });
});

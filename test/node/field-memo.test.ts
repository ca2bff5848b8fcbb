import { describe, expect, test } from "vitest";
import { fieldMemo } from "../../src/lib/field-memo";
import { ImportLine } from "../../src/routes/vehicles/vehicles.schemas";

// The import parses its lines field by field with remembered verdicts: every
// line must get exactly the answer of the object schema itself, whatever came before.
const line = { vin: "5YJ3E1EA7KF317000", model: "model3", hardware: "HW4", region: "NL", channel: "stable", cohort: "standard", firmware: "2026.38.2" };
const inputs: unknown[] = [
  line,
  line,
  { ...line, vin: " 5yj3e1ea7kf317001 " },
  { ...line, hardware: " HW3 " },
  { ...line, hardware: " HW3 " },
  { ...line, hardware: "HW 3" },
  { ...line, channel: "nightly" },
  { ...line, cohort: "standard", firmware: "not-a-version" },
  { ...line, vin: "5YJ3E1EA7KF31700" },
  { ...line, vin: "5YJ3E1EA7KF3170O0" },
  { ...line, extra: "x" },
  { ...line, region: undefined },
  Object.fromEntries(Object.entries(line).filter(([key]) => key !== "region")),
  { ...line, model: 3 },
  JSON.parse(`{"__proto__": "x", ${JSON.stringify(line).slice(1)}`),
  [line],
  null,
  "text",
  42,
  line,
];

describe("fieldMemo", () => {
  test("answers every line as the object schema does, before and after it has seen the values", () => {
    const parse = fieldMemo(ImportLine);
    for (const round of [1, 2]) {
      for (const input of inputs) expect(parse(input), `round ${round}: ${JSON.stringify(input)}`).toEqual(ImportLine.safeParse(input));
    }
  });

  test("keeps judging values past its limit", () => {
    const parse = fieldMemo(ImportLine, 2);
    for (const model of ["a", "b", "c", "d e", "c"]) expect(parse({ ...line, model })).toEqual(ImportLine.safeParse({ ...line, model }));
  });
});

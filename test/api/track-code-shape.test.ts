import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { CodeParams, wellFormedCode } from "../../src/routes/track/track.schemas";

// The read-ahead (routes/track/track.cached.ts) judges a code without zod; it must
// judge every code exactly as the route's own schema does, or a malformed code would
// be answered ahead where the route gives 400 (or the reverse).
const byZod = (code: string) => CodeParams.shape.code.safeParse(code).success;

describe("a tracking code's shape", () => {
  test("the read-ahead's test agrees with the route's schema at the edges", () => {
    const edges = [
      "",
      "a".repeat(15),
      "a".repeat(16),
      "a".repeat(64),
      "a".repeat(65),
      `${"a".repeat(15)}-`,
      `${"a".repeat(15)}_`,
      `${"a".repeat(15)}.`,
      `${"a".repeat(15)}é`,
      `${"a".repeat(15)}\n`,
      `${"a".repeat(16)}\n`,
      `${"a".repeat(15)}%`,
      `${"a".repeat(15)}😀`,
    ];
    for (const code of edges) expect(wellFormedCode(code), JSON.stringify(code)).toBe(byZod(code));
  });

  test("and on any string", () => {
    const alphabet = fc.constantFrom(..."aZ09-_.%/é\n ".split(""));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: alphabet, minLength: 10, maxLength: 70 })), (code) => {
        expect(wellFormedCode(code)).toBe(byZod(code));
      }),
      { numRuns: 2000 },
    );
  });
});

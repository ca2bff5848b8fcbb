import { describe, expect, test } from "vitest";
import { nextRequestId } from "../../src/lib/request-ids";

describe("request ids", () => {
  test("have a v4 UUID's shape, are unique, and share their instance's random prefix", () => {
    const ids = Array.from({ length: 10_000 }, () => nextRequestId());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids.map((id) => id.slice(0, 24))).size).toBe(1);
  });
});

import { createHmac } from "node:crypto";
import { describe, expect, test } from "vitest";
import { signPayload, verifySignature } from "../../src/domain/webhook-signature";

const secret = "whsec_test-secret-0123456789abcdef";
const body = '{"id":"1","type":"release.paused","createdAt":"2026-11-01T08:00:00.000Z","data":{"version":"2026.44.1"}}';
const t = 1_793_520_000; // 2026-11-01T08:00:00Z
const at = (seconds: number) => new Date(seconds * 1000);

describe("webhook signatures", () => {
  test("the header is t=<seconds>,v1=<HMAC-SHA256 of '<t>.<body>'>, as any HMAC library computes it", async () => {
    const header = await signPayload(secret, t, body);
    // An independent implementation: what a receiver in Node would write.
    const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
    expect(header).toBe(`t=${t},v1=${expected}`);
  });

  test("a genuine signature verifies within the tolerance, on either side of the receiver's clock", async () => {
    const header = await signPayload(secret, t, body);
    expect(await verifySignature(secret, header, body, { now: at(t) })).toBe(true);
    expect(await verifySignature(secret, header, body, { now: at(t + 300) })).toBe(true);
    expect(await verifySignature(secret, header, body, { now: at(t - 300) })).toBe(true);
  });

  test("a changed body, another secret, a stale or shifted timestamp, or a mangled header is refused", async () => {
    const header = await signPayload(secret, t, body);
    const ok = { now: at(t) };
    expect(await verifySignature(secret, header, body.replace("2026.44.1", "2026.44.2"), ok)).toBe(false);
    expect(await verifySignature("whsec_other", header, body, ok)).toBe(false);
    expect(await verifySignature(secret, header, body, { now: at(t + 301) })).toBe(false);
    // Moving t to a fresh time breaks the MAC, so a captured delivery cannot be replayed.
    expect(await verifySignature(secret, header.replace(`t=${t}`, `t=${t + 1000}`), body, { now: at(t + 1000) })).toBe(false);
    for (const bad of [null, "", "v1=abc", `t=${t}`, `t=${t},v1=zz`, `t=${t},v1=${"0".repeat(64)}`, `t=x,${header.split(",")[1]}`]) {
      expect(await verifySignature(secret, bad, body, ok), String(bad)).toBe(false);
    }
  });

  test("while a secret rotates, a header with several v1 values verifies when any of them matches", async () => {
    const header = await signPayload(secret, t, body);
    const [, v1] = header.split(",");
    expect(await verifySignature(secret, `t=${t},v1=${"ab".repeat(32)},${v1}`, body, { now: at(t) })).toBe(true);
  });
});

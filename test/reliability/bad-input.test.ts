import { describe, expect, test } from "vitest";
import type { ShareLink } from "../../src/routes/support/support.schemas";
import { type TestContext, withApp } from "../helpers/app";
import { backends } from "../helpers/backends";
import { draftRelease, json, registerFleet } from "../helpers/rollout";
import { fingerprint, pinSnapshot } from "./fingerprint";

// Text Postgres cannot store (NUL), text that is not Unicode (a lone
// surrogate), dates outside 2000–2999 and numbers past the column's range each
// used to reach the database and come back as a 500. Each is the client's
// mistake: a 400 problem+json that changes nothing.
const nul = "ab\u0000cd";
const surrogate = "x\ud800y";
const yearZero = "0000-01-01T00:00:00Z";
// A URL cannot carry a lone surrogate; the nearest is its UTF-8 spelling, which is not UTF-8.
const inQuery = (value: string) => (value === surrogate ? "x%ED%A0%80y" : encodeURIComponent(value));

type Bad = { method: string; path: string; json?: unknown; headers?: Record<string, string>; token?: string };

async function setUp(ctx: TestContext) {
  await pinSnapshot(ctx.db);
  const support = await ctx.keyFor("support");
  const gateway = await ctx.keyFor("gateway");
  const { region, vehicles } = await registerFleet(ctx, 2);
  const draft = await draftRelease(ctx, region, [{ name: "all", share: 100 }]);
  const rolling = await draftRelease(ctx, region, [{ name: "all", share: 100 }]);
  expect((await ctx.request("POST", `/v1/releases/${rolling.version}/start`)).status).toBe(200);
  const link = await json<ShareLink>(ctx.request("POST", `/v1/vehicles/${vehicles[0]!.vin}/share-links`, { token: support, json: { expiresInHours: 2 } }));
  return { support, gateway, vin: vehicles[0]!.vin, draft, rolling, linkId: link.id };
}

async function expectRejected(ctx: TestContext, bad: Bad) {
  const before = await fingerprint(ctx.db);
  const res = await ctx.request(bad.method, bad.path, { json: bad.json, headers: bad.headers, token: bad.token });
  const what = `${bad.method} ${bad.path} ${JSON.stringify(bad.json) ?? ""}`;
  expect(res.status, what).toBe(400);
  expect(res.headers.get("content-type"), what).toMatch(/^application\/problem\+json/);
  expect(((await res.json()) as { detail: string }).detail.length, what).toBeGreaterThan(5);
  expect(await fingerprint(ctx.db), `${what} changed the database`).toBe(before);
}


describe.each(backends)("bad input is a 400 that changes nothing ($name)", (backend) => {
  for (const [kind, value] of [["NUL", nul], ["lone surrogate", surrogate]] as const) {
    test(`${kind} in free text`, () =>
      withApp(backend, async (ctx) => {
        const s = await setUp(ctx);
        const wave = (name: string) => ({ waves: [{ name, share: 100 }] });
        const report = { eventId: crypto.randomUUID(), vin: s.vin, version: s.rolling.version, state: "failed", at: "2026-11-01T07:00:00Z" };
        const cases: Bad[] = [
          { method: "POST", path: "/v1/releases", json: { version: "2999.1.1", channel: "stable", notes: value } },
          { method: "POST", path: "/v1/keys", json: { role: "support", label: value } },
          { method: "PUT", path: `/v1/releases/${s.draft.version}/waves`, json: wave(value), headers: { "if-match": s.draft.etag } },
          { method: "POST", path: `/v1/vehicles/${s.vin}/cases`, json: { reference: "ZD-1", summary: value }, token: s.support },
          { method: "POST", path: "/v1/reports", json: { ...report, errorCode: value }, token: s.gateway },
          { method: "POST", path: `/v1/releases/${s.rolling.version}/pause`, json: { message: value } },
          { method: "POST", path: `/v1/releases/${s.rolling.version}/halt`, json: { reason: value, message: "stopped" } },
          { method: "GET", path: `/v1/audit?actor=${inQuery(value)}` },
          { method: "POST", path: "/v1/webhooks", json: { url: `https://hooks.example.com/${value}`, eventTypes: ["release.paused"] } },
        ];
        for (const bad of cases) await expectRejected(ctx, bad);
      }));
  }

  test("dates outside the years 2000–2999", () =>
    withApp(backend, async (ctx) => {
      const s = await setUp(ctx);
      for (const at of [yearZero, "1999-12-31T23:59:59Z", "3000-01-01T00:00:00Z", "+010000-01-01T00:00:00Z"]) {
        const plan = { waves: [{ name: "w", share: 100, startAt: at }] };
        await expectRejected(ctx, { method: "PUT", path: `/v1/releases/${s.draft.version}/waves`, json: plan, headers: { "if-match": s.draft.etag } });
        const report = { eventId: crypto.randomUUID(), vin: s.vin, version: s.rolling.version, state: "downloading", at };
        await expectRejected(ctx, { method: "POST", path: "/v1/reports", json: report, token: s.gateway });
        await expectRejected(ctx, { method: "GET", path: `/v1/audit?from=${encodeURIComponent(at)}` });
      }
    }));

  test("numbers past the column's range", () =>
    withApp(backend, async (ctx) => {
      const s = await setUp(ctx);
      const big = "2147483648";
      await expectRejected(ctx, { method: "DELETE", path: `/v1/vehicles/${s.vin}/share-links/${big}`, token: s.support });
      await expectRejected(ctx, { method: "GET", path: `/v1/releases/${s.rolling.version}/queue?after=${big}` });
      await expectRejected(ctx, { method: "GET", path: `/v1/releases/${s.rolling.version}/queue?wave=${big}` });
      await expectRejected(ctx, { method: "GET", path: `/v1/audit?before=${"9".repeat(30)}` });
      const stopAt = { maxFailurePercent: 5, minSample: 2 ** 40, action: "pause" };
      await expectRejected(ctx, {
        method: "PUT",
        path: `/v1/releases/${s.draft.version}/waves`,
        json: { waves: [{ name: "w", share: 100, stopAt }] },
        headers: { "if-match": s.draft.etag },
      });
      // The resource is still there, untouched.
      expect((await ctx.request("DELETE", `/v1/vehicles/${s.vin}/share-links/${s.linkId}`, { token: s.support })).status).toBe(204);
    }));

  test("a body that is JSON but not an object", () =>
    withApp(backend, async (ctx) => {
      const s = await setUp(ctx);
      for (const body of [[], "text", 42, null]) {
        await expectRejected(ctx, { method: "PUT", path: `/v1/vehicles/${s.vin}`, json: body });
      }
    }));
});

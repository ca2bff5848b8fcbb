import { describe, expect, test } from "vitest";
import type { Release } from "../../src/routes/releases/releases.schemas";
import { withApp } from "../helpers/app";
import { backends } from "../helpers/backends";
import { draftRelease, json, registerFleet } from "../helpers/rollout";

const plan = { waves: [{ name: "a", share: 50 }, { name: "b", share: 100 }] };

describe.each(backends)("re-planning under If-Match ($name)", (backend) => {
  test("an edit needs the current ETag: 428 without it, 412 with a stale one; a dry run needs none and changes nothing", () =>
    withApp(backend, async (ctx) => {
      const { region } = await registerFleet(ctx, 10);
      const { version, etag } = await draftRelease(ctx, region, [{ name: "all", share: 100 }]);
      const put = (headers: Record<string, string>, query = "") => ctx.request("PUT", `/v1/releases/${version}/waves${query}`, { json: plan, headers });

      const missing = await put({});
      expect(missing.status).toBe(428);
      expect(missing.headers.get("content-type")).toBe("application/problem+json");
      expect(((await missing.json()) as { type: string }).type).toBe("/problems/precondition_required");
      expect((await put({ "if-match": '"0-0"' })).status).toBe(412);
      expect((await put({}, "?dryRun=true")).status).toBe(200);
      expect((await json<Release>(ctx.request("GET", `/v1/releases/${version}`))).waves.map((w) => w.share)).toEqual([100]);

      const applied = await put({ "if-match": etag });
      expect(applied.status).toBe(200);
      expect((await put({ "if-match": etag })).status).toBe(412);
      expect((await put({ "if-match": applied.headers.get("etag")! })).status).toBe(200);
      // The rule is about the edit, not the release: a release that does not exist is simply not found.
      expect((await ctx.request("PUT", "/v1/releases/1999.1.1/waves", { json: plan })).status).toBe(404);
    }));

  test("a halted release's plan can no longer change (409)", () =>
    withApp(backend, async (ctx) => {
      const { region } = await registerFleet(ctx, 10);
      const { version } = await draftRelease(ctx, region, [{ name: "all", share: 100 }]);
      await ctx.request("POST", `/v1/releases/${version}/start`);
      const halted = await ctx.request("POST", `/v1/releases/${version}/halt`, { json: { reason: "Bricks head units", message: "Stopped" } });
      const res = await ctx.request("PUT", `/v1/releases/${version}/waves`, { json: plan, headers: { "if-match": halted.headers.get("etag")! } });
      expect(res.status).toBe(409);
    }));
});

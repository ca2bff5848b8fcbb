import { describe, expect, test } from "vitest";
import { backends } from "../helpers/backends";
import { withApp } from "../helpers/app";
import { draftRelease, registerFleet } from "../helpers/rollout";

// Progress answers are built with their headers in one go (src/lib/response-headers.ts);
// every other response gets them from the middleware. Both must carry the same ones.
// JSON answers carry the secure headers an API needs; documents carry every one.

const forAnswers = { "strict-transport-security": "max-age=15552000; includeSubDomains", "x-content-type-options": "nosniff", "x-frame-options": "SAMEORIGIN" };
const onlyForDocuments = [
  "cross-origin-opener-policy",
  "origin-agent-cluster",
  "referrer-policy",
  "x-dns-prefetch-control",
  "x-download-options",
  "x-permitted-cross-domain-policies",
  "x-xss-protection",
];

const common = (res: Response) => {
  const headers = Object.fromEntries(res.headers);
  for (const varying of ["content-length", "etag", "x-request-id", "content-type", "cache-control", "vary"]) delete headers[varying];
  return headers;
};

describe.each(backends)("common response headers ($name)", (backend) => {
  test("a progress answer carries the same secure headers as any other response, and its own request id", () =>
    withApp(backend, async (ctx) => {
      const { region } = await registerFleet(ctx, 3);
      const { version } = await draftRelease(ctx, region, [{ name: "all", share: 100 }]);
      await ctx.request("POST", `/v1/releases/${version}/start`);

      const progress = await ctx.request("GET", `/v1/releases/${version}/progress`, { headers: { "x-request-id": "dashboard-42" } });
      const release = await ctx.request("GET", `/v1/releases/${version}`);
      expect(progress.status).toBe(200);
      expect(progress.headers.get("content-type")).toBe("application/json");
      expect(common(progress)).toEqual(common(release));
      expect(common(progress)).toMatchObject({ "x-content-type-options": "nosniff", "x-frame-options": "SAMEORIGIN" });
      expect(progress.headers.get("x-request-id")).toBe("dashboard-42");
      // The second read comes from the progress cache, with a fresh id of its own.
      const again = await ctx.request("GET", `/v1/releases/${version}/progress`);
      expect(common(again)).toEqual(common(release));
      expect(again.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      expect(await again.json()).toEqual(await progress.json());
    }));

  test("a JSON answer carries HSTS, nosniff and X-Frame-Options, and none of the headers that only act on a document; a document carries them all", () =>
    withApp(backend, async (ctx) => {
      const answers = [await ctx.request("GET", "/v1/releases"), await ctx.request("GET", "/v1/releases/0.0.404"), await ctx.request("GET", "/openapi.json")];
      expect(answers.map((res) => res.headers.get("content-type"))).toEqual([expect.stringMatching(/^application\/json/), "application/problem+json", expect.stringMatching(/^application\/json/)]);
      for (const res of answers) {
        expect(Object.fromEntries(res.headers)).toMatchObject(forAnswers);
        expect(onlyForDocuments.filter((name) => res.headers.has(name))).toEqual([]);
        expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      }
      const page = await ctx.request("GET", "/docs");
      expect(page.headers.get("content-type")).toMatch(/^text\/html/);
      expect(Object.fromEntries(page.headers)).toMatchObject(forAnswers);
      expect(onlyForDocuments.filter((name) => !page.headers.has(name))).toEqual([]);
    }));
});

import { describe, expect, test } from "vitest";
import type { Release } from "../../src/routes/releases/releases.schemas";
import { backends } from "../helpers/backends";
import { withApp } from "../helpers/app";
import { randomVersion } from "../helpers/fleet";

describe.each(backends)("releases ($name)", (backend) => {
  test("a release manager creates a draft release with an ETag", () =>
    withApp(backend, async ({ request, keyFor }) => {
      const manager = await keyFor("release_manager");
      const version = randomVersion();
      const res = await request("POST", "/v1/releases", {
        token: manager,
        json: { version, channel: "stable", notes: "Charging fixes", eligibility: { models: ["model3"], hardware: ["HW4"], regions: ["NL"], minVersion: "2026.20.0" } },
      });
      expect(res.status).toBe(201);
      expect(res.headers.get("etag")).toMatch(/^"\d+-1"$/);
      const release = (await res.json()) as Release;
      expect(release).toMatchObject({ version, state: "draft", channel: "stable", total: 0, waves: [] });
      expect(release.eligibility).toEqual({ models: ["model3"], hardware: ["HW4"], regions: ["NL"], minVersion: "2026.20.0" });
      expect(Object.values(release.counts).every((n) => n === 0)).toBe(true);

      const again = await request("GET", `/v1/releases/${version}`, { token: await keyFor("support") });
      expect(again.status).toBe(200);
      expect(again.headers.get("etag")).toBe(res.headers.get("etag"));
    }));

  test("the same version twice is 409 and the first stays", () =>
    withApp(backend, async ({ request }) => {
      const version = randomVersion();
      expect((await request("POST", "/v1/releases", { json: { version, channel: "stable", notes: "first" } })).status).toBe(201);
      const dup = await request("POST", "/v1/releases", { json: { version, channel: "beta", notes: "second" } });
      expect(dup.status).toBe(409);
      const kept = (await (await request("GET", `/v1/releases/${version}`)).json()) as Release;
      expect(kept.notes).toBe("first");
    }));

  test("releases are listed newest first by numeric version, not as text", () =>
    withApp(backend, async ({ request }) => {
      const major = 3000 + Math.floor(Math.random() * 5000);
      for (const v of [`${major}.9.0`, `${major}.10.0`, `${major}.9.10`]) {
        expect((await request("POST", "/v1/releases", { json: { version: v, channel: "stable" } })).status).toBe(201);
      }
      const { releases } = (await (await request("GET", "/v1/releases")).json()) as { releases: Release[] };
      const mine = releases.map((r) => r.version).filter((v) => v.startsWith(`${major}.`));
      expect(mine).toEqual([`${major}.10.0`, `${major}.9.10`, `${major}.9.0`]);
    }));

  test("bad versions and eligibility are 400; unknown release is 404", () =>
    withApp(backend, async ({ request }) => {
      for (const body of [
        { version: "2026.044.1", channel: "stable" },
        { version: "2026.44.1", channel: "alpha" },
        { version: "2026.44.1", channel: "stable", eligibility: { minVersion: "new" } },
        { version: "2026.44.1", channel: "stable", eligibility: { models: "model3" } },
        { version: "2026.44.1", channel: "stable", eligibility: { colours: ["red"] } },
      ]) {
        const res = await request("POST", "/v1/releases", { json: body });
        expect(res.status, JSON.stringify(body)).toBe(400);
      }
      expect((await request("GET", "/v1/releases/2026.44.1.7.7")).status).toBe(400);
      expect((await request("GET", `/v1/releases/${randomVersion()}`)).status).toBe(404);
    }));
});

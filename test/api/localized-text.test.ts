import { describe, expect, test } from "vitest";
import { backends } from "../helpers/backends";
import { type TestContext, withApp } from "../helpers/app";
import { randomVersion } from "../helpers/fleet";
import { draftRelease, json, registerFleet } from "../helpers/rollout";

type Release = {
  version: string;
  notes: unknown;
  purpose: string | null;
  installMinutes: number | null;
  unavailableDuring: unknown;
  instructions: unknown;
  waves: { name: unknown }[];
  notice: { message: unknown } | null;
};
type Track = {
  release: { version: string; notes: string; purpose?: string; installMinutes?: number; unavailableDuring?: string[]; instructions?: string[] };
  queue: { wave: { name: string } };
  notice: { message: string } | null;
  timeline: { state: string; message?: string }[];
};
type Problem = { type: string; errors: { field: string; message: string }[] };

const notes = { en: "Faster charging in the cold.", nl: "Sneller laden in de kou.", de: "Schneller laden bei Kälte." };
const r156 = {
  purpose: "feature",
  installMinutes: 25,
  unavailableDuring: { en: ["Driving", "Charging"], nl: ["Rijden", "Laden"] },
  instructions: { en: "Park the car and connect to Wi-Fi.", de: "Parken Sie und verbinden Sie WLAN." },
};
// Only en and nl: German readers fall back to English.
const waveName = { en: "everyone", nl: "iedereen" };
const pause = { en: "Paused while we check chargers.", nl: "Gepauzeerd terwijl we laders controleren.", de: "Pausiert, während wir Ladegeräte prüfen." };

/** A paused rollout of one car with every localized field set; returns its version and the owner's code. */
async function localizedRollout(ctx: TestContext) {
  const { region, vehicles } = await registerFleet(ctx, 1);
  const { version } = await draftRelease(ctx, region, [{ name: waveName as unknown as string, share: 100, ratePerHour: 1, startAt: "2026-11-02T08:00:00Z" }], { notes, ...r156 });
  expect((await ctx.request("POST", `/v1/releases/${version}/start`)).status).toBe(200);
  expect((await ctx.request("POST", `/v1/releases/${version}/pause`, { json: { message: pause } })).status).toBe(200);
  return { version, code: vehicles[0]!.ownerCode };
}

const track = (ctx: TestContext, code: string, init: { query?: string; lang?: string } = {}) =>
  json<Track>(ctx.request("GET", `/v1/track/${code}${init.query ?? ""}`, { token: null, peer: `owner-${code}`, headers: init.lang ? { "accept-language": init.lang } : {} }));

describe.each(backends)("localized text ($name)", (backend) => {
  test("managers read back every localized field as written, and the UN R156 fields", () =>
    withApp(backend, async (ctx) => {
      const { version } = await localizedRollout(ctx);
      const release = await json<Release>(ctx.request("GET", `/v1/releases/${version}`));
      expect(release.notes).toEqual(notes);
      expect(release.waves[0]!.name).toEqual(waveName);
      expect(release.notice!.message).toEqual(pause);
      expect(release).toMatchObject(r156);
      const listed = await json<{ releases: Release[] }>(ctx.request("GET", "/v1/releases"));
      expect(listed.releases.find((r) => r.version === version)!.notes).toEqual(notes);
    }));

  test("owners read their language by ?lang= or Accept-Language (q-values, regions), English where a text lacks it", () =>
    withApp(backend, async (ctx) => {
      const { code } = await localizedRollout(ctx);
      const nl = await track(ctx, code, { query: "?lang=nl" });
      expect(nl.release).toMatchObject({ notes: notes.nl, purpose: "feature", installMinutes: 25, unavailableDuring: ["Rijden", "Laden"], instructions: ["Park the car and connect to Wi-Fi."] });
      expect(nl.queue.wave.name).toBe("iedereen");
      expect(nl.notice!.message).toBe(pause.nl);
      expect(nl.timeline.find((s) => s.state === "paused")!.message).toBe(pause.nl);

      const de = await track(ctx, code, { lang: "de-DE,de;q=0.9,en;q=0.8" });
      expect(de.release.notes).toBe(notes.de);
      expect(de.queue.wave.name).toBe("everyone");
      expect(de.release.unavailableDuring).toEqual(["Driving", "Charging"]);
      expect(de.release.instructions).toEqual(["Parken Sie und verbinden Sie WLAN."]);
      expect(de.notice!.message).toBe(pause.de);

      expect((await track(ctx, code, { lang: "fr-FR, nl;q=0.5" })).release.notes).toBe(notes.nl);
      expect((await track(ctx, code, { lang: "en-GB,en;q=0.9" })).release.notes).toBe(notes.en);
      expect((await track(ctx, code, { query: "?lang=nl", lang: "de" })).release.notes).toBe(notes.nl);
      const raw = await ctx.request("GET", `/v1/track/${code}`, { token: null, peer: `owner-${code}`, headers: { "accept-language": "nl" } });
      expect(raw.headers.get("vary")?.toLowerCase()).toContain("accept-language");
      const plain = await track(ctx, code);
      expect(plain.release.notes).toBe(notes.en);
      expect(plain.notice!.message).toBe(pause.en);
    }));

  test("plain strings are still accepted and read the same in every language; a release without R156 fields keeps the fixed shape", () =>
    withApp(backend, async (ctx) => {
      const { region, vehicles } = await registerFleet(ctx, 1);
      const { version } = await draftRelease(ctx, region, [{ name: "all", share: 100, ratePerHour: 1, startAt: "2026-11-02T08:00:00Z" }]);
      await ctx.request("POST", `/v1/releases/${version}/start`);
      await ctx.request("POST", `/v1/releases/${version}/pause`, { json: { message: "Paused." } });
      const release = await json<Release>(ctx.request("GET", `/v1/releases/${version}`));
      expect(release).toMatchObject({ notes: "Test release", waves: [{ name: "all" }], notice: { message: "Paused." }, purpose: null, installMinutes: null, unavailableDuring: null, instructions: null });
      const owner = await track(ctx, vehicles[0]!.ownerCode, { query: "?lang=de" });
      expect(owner.release).toEqual({ version, notes: "Test release" });
      expect(owner.queue.wave.name).toBe("all");
      expect(owner.notice!.message).toBe("Paused.");
    }));

  const bad: [string, unknown, string][] = [
    ["no en", { nl: "Alleen Nederlands" }, "notes"],
    ["NUL inside", { en: "ok", de: "a\u0000b" }, "notes"],
    ["a lone surrogate", { en: "x\ud800y" }, "notes"],
    ["an unknown key format", { en: "ok", english_GB: "x" }, "notes"],
    ["a non-string value", { en: "ok", nl: 42 }, "notes"],
    ["an empty text", { en: "" }, "notes"],
    ["an array", ["en", "ok"], "notes"],
  ];

  test.each(bad)("notes with %s → 400 naming the field, nothing stored", (_why, value, field) =>
    withApp(backend, async (ctx) => {
      const version = randomVersion();
      const res = await ctx.request("POST", "/v1/releases", { json: { version, channel: "stable", notes: value } });
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      const problem = await json<Problem>(res);
      expect(problem.errors.some((e) => e.field === field || e.field.startsWith(`${field}.`))).toBe(true);
      expect((await ctx.request("GET", `/v1/releases/${version}`)).status).toBe(404);
    }));

  test("bad locale objects in wave names, pause messages and R156 lists are refused the same way, and change nothing", () =>
    withApp(backend, async (ctx) => {
      const { region } = await registerFleet(ctx, 2);
      const { version, etag } = await draftRelease(ctx, region, [{ name: "all", share: 100 }]);
      const plan = await ctx.request("PUT", `/v1/releases/${version}/waves`, { json: { waves: [{ name: { nl: "alle" }, share: 100 }] }, headers: { "if-match": etag } });
      expect(plan.status).toBe(400);
      expect((await json<Problem>(plan)).errors.map((e) => e.field)).toContain("waves.0.name");
      const edit = await ctx.request("PATCH", `/v1/releases/${version}`, { json: { instructions: { en: ["ok"], "en-gb": ["x"] } }, headers: { "if-match": etag } });
      expect(edit.status).toBe(400);
      expect((await json<Problem>(edit)).errors.map((e) => e.field)).toContain("instructions.en-gb");
      await ctx.request("POST", `/v1/releases/${version}/start`);
      const paused = await ctx.request("POST", `/v1/releases/${version}/pause`, { json: { message: { en: "ok", nl: { text: "x" } } } });
      expect(paused.status).toBe(400);
      expect((await json<Problem>(paused)).errors.map((e) => e.field)).toContain("message");
      const release = await json<Release & { state: string }>(ctx.request("GET", `/v1/releases/${version}`));
      expect(release).toMatchObject({ state: "rolling_out", notice: null, instructions: null, waves: [{ name: "all" }] });
      const badLang = await ctx.request("GET", `/v1/track/${"a".repeat(22)}?lang=english`, { token: null });
      expect(badLang.status).toBe(400);
    }));

  test("PATCH edits notes and the R156 fields under If-Match, audited; owners read the edit in their language", () =>
    withApp(backend, async (ctx) => {
      const { region, vehicles } = await registerFleet(ctx, 1);
      const { version, etag } = await draftRelease(ctx, region, [{ name: "all", share: 100, ratePerHour: 1, startAt: "2026-11-02T08:00:00Z" }]);
      const edit = { notes, purpose: "security", installMinutes: 40, instructions: { en: ["Park"], nl: ["Parkeer"] } };
      expect((await ctx.request("PATCH", `/v1/releases/${version}`, { json: edit })).status).toBe(428);
      expect((await ctx.request("PATCH", `/v1/releases/${version}`, { json: edit, headers: { "if-match": '"0-0"' } })).status).toBe(412);
      const support = await ctx.keyFor("support");
      expect((await ctx.request("PATCH", `/v1/releases/${version}`, { json: edit, headers: { "if-match": etag }, token: support })).status).toBe(403);
      const res = await ctx.request("PATCH", `/v1/releases/${version}`, { json: edit, headers: { "if-match": etag } });
      expect(res.status).toBe(200);
      expect(res.headers.get("etag")).not.toBe(etag);
      expect(await json<Release>(res)).toMatchObject(edit);
      const cleared = await ctx.request("PATCH", `/v1/releases/${version}`, { json: { installMinutes: null }, headers: { "if-match": res.headers.get("etag")! } });
      expect(await json<Release>(cleared)).toMatchObject({ ...edit, installMinutes: null });

      await ctx.request("POST", `/v1/releases/${version}/start`);
      const owner = await track(ctx, vehicles[0]!.ownerCode, { query: "?lang=nl" });
      expect(owner.release).toEqual({ version, notes: notes.nl, purpose: "security", instructions: ["Parkeer"] });
      const audit = await json<{ entries: { action: string; before: unknown; after: unknown }[] }>(ctx.request("GET", `/v1/audit?release=${version}`));
      const updates = audit.entries.filter((e) => e.action === "release.updated");
      expect(updates).toHaveLength(2);
      expect(updates.at(-1)).toMatchObject({ before: { notes: "Test release", purpose: null }, after: edit });
    }));
});

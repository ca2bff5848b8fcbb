import { describe, expect, test } from "vitest";
import { backends } from "../helpers/backends";
import { type TestContext, withApp } from "../helpers/app";
import { draftRelease, json, registerFleet } from "../helpers/rollout";

// A hot owner answer is kept by its URL (routes/track/hot-answers.ts) while the caches it
// was built from hold it fresh. A change made on this instance must still show at once:
// the owner's own change of channel, a known issue published or edited. Each test makes
// the answer hot first: a read from the database, then one from the cache, which keeps it.

const charging = {
  title: { en: "Charging stops at 80%", nl: "Laden stopt bij 80%" },
  body: { en: "Unplug and plug in again.", nl: "Stekker eruit en er weer in." },
};

type Track = { vehicle: { channel: string }; release: { version: string } | null; knownIssues: { title: string; status: string }[] };
const track = (ctx: TestContext, code: string, language = "en") =>
  json<Track>(ctx.request("GET", `/v1/track/${code}`, { token: null, headers: { "accept-language": language } }));

async function hotCar(ctx: TestContext) {
  const { region, vehicles } = await registerFleet(ctx, 1);
  const { version } = await draftRelease(ctx, region, [{ name: "all", share: 100 }]);
  expect((await ctx.request("POST", `/v1/releases/${version}/start`)).status).toBe(200);
  const code = vehicles[0]!.ownerCode;
  expect((await track(ctx, code)).release?.version).toBe(version);
  expect((await track(ctx, code)).release?.version).toBe(version);
  return { code, version };
}

describe.each(backends)("hot owner answers ($name)", (backend) => {
  test("the owner's own change of channel shows at once", () =>
    withApp(backend, async (ctx) => {
      // No release: the change touches the owner's answer alone, not which known issues it shows.
      const code = (await registerFleet(ctx, 1)).vehicles[0]!.ownerCode;
      for (let i = 0; i < 3; i++) expect((await track(ctx, code)).vehicle.channel).toBe("stable");
      expect((await ctx.request("PUT", `/v1/track/${code}/channel`, { token: null, json: { channel: "beta" } })).status).toBe(200);
      expect((await track(ctx, code)).vehicle.channel).toBe("beta");
    }));

  test("a known issue published or changed on this instance shows at once", () =>
    withApp(backend, async (ctx) => {
      const { code, version } = await hotCar(ctx);
      expect((await track(ctx, code)).knownIssues).toEqual([]);
      const support = await ctx.keyFor("support");
      const created = await json<{ id: number }>(ctx.request("POST", `/v1/releases/${version}/known-issues`, { token: support, json: charging }));
      expect((await track(ctx, code)).knownIssues.map((i) => i.title)).toEqual(["Charging stops at 80%"]);
      expect((await track(ctx, code)).knownIssues.map((i) => i.title)).toEqual(["Charging stops at 80%"]);
      const fixed = await ctx.request("PATCH", `/v1/known-issues/${created.id}`, { token: support, json: { status: "workaround" } });
      expect(fixed.status).toBe(200);
      expect((await track(ctx, code)).knownIssues.map((i) => i.status)).toEqual(["workaround"]);
    }));

  test("each reader gets their own language, whichever was kept first", () =>
    withApp(backend, async (ctx) => {
      const { code, version } = await hotCar(ctx);
      const support = await ctx.keyFor("support");
      expect((await ctx.request("POST", `/v1/releases/${version}/known-issues`, { token: support, json: charging })).status).toBe(201);
      for (const [language, title] of [["en", "Charging stops at 80%"], ["nl", "Laden stopt bij 80%"], ["en", "Charging stops at 80%"], ["nl", "Laden stopt bij 80%"]]) {
        expect((await track(ctx, code, language)).knownIssues.map((i) => i.title), language).toEqual([title]);
      }
    }));
});

import { describe, expect, test } from "vitest";
import type { PublicFleet, PublicRelease, PublicReleases } from "../../src/routes/public/public.schemas";
import { type TestContext, withApp } from "../helpers/app";
import { backends } from "../helpers/backends";
import { draftRelease, json, registerFleet } from "../helpers/rollout";

const report = (vin: string, version: string, state: string) => ({ eventId: crypto.randomUUID(), vin, version, state, at: "2026-11-01T07:59:00Z" });

/** 40 cars in two waves (25%, 100%), the first wave offered at once, `installed` of them installed. */
async function publicRollout(ctx: TestContext, installed: number) {
  const fleet = await registerFleet(ctx, 40);
  const notes = { en: "Faster charging.", nl: "Sneller laden.", de: "Schneller laden." };
  const { version } = await draftRelease(
    ctx,
    fleet.region,
    [
      { name: { en: "early", nl: "vroeg" } as unknown as string, share: 25 },
      { name: "everyone", share: 100, ratePerHour: 1, startAt: "2026-12-01T08:00:00Z" },
    ],
    { notes },
  );
  expect((await ctx.request("POST", `/v1/releases/${version}/start`)).status).toBe(200);
  const queue = await json<{ entries: { vin: string; wave: number }[] }>(ctx.request("GET", `/v1/releases/${version}/queue?wave=1&limit=100`));
  const gateway = await ctx.keyFor("gateway");
  const reports = queue.entries.slice(0, installed).map((e) => report(e.vin, version, "installed"));
  if (reports.length) expect((await ctx.request("POST", "/v1/reports", { token: gateway, json: { reports } })).status).toBe(200);
  return { ...fleet, version, notes };
}

const anonymous = (ctx: TestContext, path: string, headers: Record<string, string> = {}) => ctx.request("GET", path, { token: null, headers });

describe.each(backends)("public rollout page ($name)", (backend) => {
  test("lists a release rolling out with its current wave and percent offered and installed, per wave, localized", () =>
    withApp(backend, async (ctx) => {
      const { version, notes } = await publicRollout(ctx, 5);
      const res = await anonymous(ctx, "/v1/public/releases?lang=nl");
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("public, max-age=30");
      const body = await json<PublicReleases>(res);
      const release = body.releases.find((r) => r.version === version);
      expect(release).toMatchObject({
        channel: "stable",
        state: "rolling_out",
        notes: notes.nl,
        notice: null,
        currentWave: { index: 1, name: "vroeg", of: 2 },
        offeredPercent: 25,
        installedPercent: 12.5,
      });
      expect(release!.waves).toEqual([
        { index: 1, name: "vroeg", share: 25, state: "active", offeredPercent: 100, installedPercent: 50 },
        { index: 2, name: "everyone", share: 100, state: "pending", offeredPercent: 0, installedPercent: 0 },
      ]);
      // German falls back to English where a text lacks it.
      const de = await json<PublicRelease>(anonymous(ctx, `/v1/public/releases/${version}`, { "accept-language": "de-DE,de;q=0.9" }));
      expect(de).toMatchObject({ notes: notes.de, currentWave: { name: "early" } });
    }));

  test("says nothing that names a car: no VIN, no code, no count of single cars", () =>
    withApp(backend, async (ctx) => {
      const { version, vehicles } = await publicRollout(ctx, 1);
      const text = await (await anonymous(ctx, `/v1/public/releases/${version}`)).text();
      for (const v of vehicles) {
        expect(text).not.toContain(v.vin);
        expect(text).not.toContain(v.ownerCode);
      }
      expect(Object.keys(JSON.parse(text) as object)).not.toContain("queueSize");
      expect(text).not.toMatch(/"(counts|total|size|position|ahead)"/);
    }));

  test("a paused release shows its public notice; drafts are nobody's business; junk is a 400", () =>
    withApp(backend, async (ctx) => {
      const { version } = await publicRollout(ctx, 0);
      const message = { en: "Paused while we look into a charging issue.", nl: "Gepauzeerd: we onderzoeken een laadprobleem." };
      expect((await ctx.request("POST", `/v1/releases/${version}/pause`, { json: { message } })).status).toBe(200);
      const paused = await json<PublicRelease>(anonymous(ctx, `/v1/public/releases/${version}?lang=nl`));
      expect(paused).toMatchObject({ state: "paused", notice: { kind: "paused", message: message.nl } });

      const { region } = await registerFleet(ctx, 1);
      const draft = await draftRelease(ctx, region, [{ name: "all", share: 100 }]);
      expect((await anonymous(ctx, `/v1/public/releases/${draft.version}`)).status).toBe(404);
      const list = await json<PublicReleases>(anonymous(ctx, "/v1/public/releases"));
      expect(list.releases.map((r) => r.version)).not.toContain(draft.version);

      for (const path of ["/v1/public/releases/not-a-version", "/v1/public/releases?lang=x!", "/v1/public/releases/2026.1.1?lang=123456"]) {
        const bad = await anonymous(ctx, path);
        expect(bad.status, path).toBe(400);
        expect(bad.headers.get("content-type")).toContain("application/problem+json");
      }
    }));

  test("a halted release leaves the list but stays readable by version", () =>
    withApp(backend, async (ctx) => {
      const halted = await publicRollout(ctx, 0);
      expect((await ctx.request("POST", `/v1/releases/${halted.version}/halt`, { json: { reason: "battery drain", message: "Stopped." } })).status).toBe(200);
      const list = await json<PublicReleases>(anonymous(ctx, "/v1/public/releases"));
      expect(list.releases.map((r) => r.version)).not.toContain(halted.version);
      // Still readable by version: links from owner pages keep working.
      expect(await json<PublicRelease>(anonymous(ctx, `/v1/public/releases/${halted.version}`))).toMatchObject({ state: "halted" });
    }));

  test("answers are computed once per 30 s: a change shows after max-age, never before", () =>
    withApp(backend, async (ctx) => {
      const { version } = await publicRollout(ctx, 0);
      const first = await json<PublicRelease>(anonymous(ctx, `/v1/public/releases/${version}`));
      expect((await ctx.request("POST", `/v1/releases/${version}/pause`, { json: { message: "Checking." } })).status).toBe(200);
      expect((await json<PublicRelease>(anonymous(ctx, `/v1/public/releases/${version}`))).state).toBe(first.state);
      ctx.clock.advance(30_000);
      expect((await json<PublicRelease>(anonymous(ctx, `/v1/public/releases/${version}`))).state).toBe("paused");
    }));

  test("the fleet's versions by model and region, buckets under 20 vehicles folded into other", () =>
    withApp(backend, async (ctx) => {
      const tag = Math.random().toString(36).slice(2, 8);
      const big = `big-${tag}`;
      const small = `small-${tag}`;
      // big: 25 on 2026.40.1 and 3 on 2026.30.0 (folded); small: 5 cars in all (the model folds).
      await registerFleet(ctx, 25, () => ({ model: big, firmware: "2026.40.1" }));
      await registerFleet(ctx, 3, () => ({ model: big, firmware: "2026.30.0" }));
      await registerFleet(ctx, 5, () => ({ model: small, firmware: "2026.40.1" }));
      const res = await anonymous(ctx, "/v1/public/fleet");
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("public, max-age=30");
      const fleet = await json<PublicFleet>(res);
      const group = fleet.byModel.find((g) => g.name === big);
      expect(group).toEqual({
        name: big,
        vehicles: 28,
        versions: [
          { version: "2026.40.1", vehicles: 25, percent: 89.3 },
          { version: "other", vehicles: 3, percent: 10.7 },
        ],
      });
      expect(fleet.byModel.map((g) => g.name)).not.toContain(small);
      for (const g of [...fleet.byModel, ...fleet.byRegion]) {
        if (g.name !== "other") expect(g.vehicles).toBeGreaterThanOrEqual(20);
        for (const v of g.versions) if (v.version !== "other") expect(v.vehicles).toBeGreaterThanOrEqual(20);
      }
    }));
});

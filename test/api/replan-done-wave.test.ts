// A wave that is done is history: its vehicles were offered as that wave.
// A plan that drops it, or moves its cut point, would relabel them (the
// console once previewed deleting a done wave as "N vehicles change wave").
import { describe, expect, test } from "vitest";
import type { Release } from "../../src/routes/releases/releases.schemas";
import { withApp } from "../helpers/app";
import { backends } from "../helpers/backends";
import { draftRelease, json, registerFleet } from "../helpers/rollout";

describe.each(backends)("re-planning around a done wave ($name)", (backend) => {
  test("dropping a done wave or moving its cut point is refused (409) in a dry run and for real; renaming it is fine", () =>
    withApp(backend, async (ctx) => {
      const { region } = await registerFleet(ctx, 100);
      const { version } = await draftRelease(ctx, region, [
        { name: "first", share: 10 },
        { name: "second", share: 50 },
        { name: "rest", share: 100 },
      ]);
      expect((await ctx.request("POST", `/v1/releases/${version}/start`)).status).toBe(200);
      const advanced = await ctx.request("POST", `/v1/releases/${version}/advance`);
      expect(advanced.status).toBe(200);
      const release = await json<Release>(advanced);
      expect(release.waves.map((w) => w.state)).toEqual(["done", "active", "pending"]);
      const etag = advanced.headers.get("etag")!;
      const put = (waves: unknown[], dryRun: boolean) =>
        ctx.request("PUT", `/v1/releases/${version}/waves${dryRun ? "?dryRun=true" : ""}`, { json: { waves }, headers: { "if-match": etag } });

      for (const dryRun of [true, false]) {
        const dropped = await put([{ name: "second", share: 50 }, { name: "rest", share: 100 }], dryRun);
        expect(dropped.status).toBe(409);
        expect(((await dropped.json()) as { detail: string }).detail).toMatch(/wave 1 is done/i);
        const moved = await put([{ name: "first", share: 20 }, { name: "second", share: 50 }, { name: "rest", share: 100 }], dryRun);
        expect(moved.status).toBe(409);
      }
      const renamed = await put([{ name: { en: "first", nl: "eerste" }, share: 10 }, { name: "second", share: 60 }, { name: "rest", share: 100 }], true);
      expect(renamed.status).toBe(200);
      const preview = (await renamed.json()) as { impact: { vehiclesChangingWave: number } };
      expect(preview.impact.vehiclesChangingWave).toBe(10);
      const after = await json<Release>(ctx.request("GET", `/v1/releases/${version}`));
      expect(after.waves.map((w) => w.share)).toEqual([10, 50, 100]);
    }));
});

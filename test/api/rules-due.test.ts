import { describe, expect, test } from "vitest";
import type { Release } from "../../src/routes/releases/releases.schemas";
import type { QueuePage } from "../../src/routes/rollout/rollout.schemas";
import { tickAfterReports } from "../../src/services/clock-tick";
import { recordReports } from "../../src/services/reports";
import { tickIsDue } from "../../src/services/rules-due";
import { backends } from "../helpers/backends";
import { withApp } from "../helpers/app";
import { draftRelease, json, registerFleet } from "../helpers/rollout";

// After reports, the rules are first judged without a lock (services/rules-due.ts):
// that judgement must say "due" exactly when the locked tick would act.

describe.each(backends)("rules due after reports ($name)", (backend) => {
  test("nothing is due until a wave's failures cross its rule; then the tick after reports pauses the release", () =>
    withApp(backend, async (ctx) => {
      const { region } = await registerFleet(ctx, 20);
      const { version } = await draftRelease(ctx, region, [
        { name: "canary", share: 50, stopAt: { maxFailurePercent: 20, minSample: 4, action: "pause" } },
        { name: "rest", share: 100 },
      ]);
      await ctx.request("POST", `/v1/releases/${version}/start`);
      const canary = (await json<QueuePage>(ctx.request("GET", `/v1/releases/${version}/queue?wave=1`))).entries.map((e) => e.vin);
      const now = ctx.clock.now();
      const at = new Date(now.getTime() - 60_000);
      const reportsOf = (vins: string[], state: "installed" | "failed") => vins.map((vin) => ({ eventId: crypto.randomUUID(), vin, version, state, at }));

      // Written past the batcher, so no tick has run yet: only the judgement speaks.
      await recordReports({ db: ctx.db, reports: reportsOf(canary.slice(0, 3), "installed"), now });
      expect(await tickIsDue(ctx.db, version, now)).toBe(false);
      await recordReports({ db: ctx.db, reports: reportsOf(canary.slice(3, 4), "failed"), now });
      // 1 failure in 4 outcomes: 25% is above 20%, with the minimum sample in.
      expect(await tickIsDue(ctx.db, version, now)).toBe(true);

      await tickAfterReports({ db: ctx.db, versions: [version], now });
      expect((await json<Release>(ctx.request("GET", `/v1/releases/${version}`))).state).toBe("paused");
      expect(await tickIsDue(ctx.db, version, now)).toBe(false);
    }));

  test("a judgement after a re-plan counts the waves by their new ranges, not by those it read the counts by last time", () =>
    withApp(backend, async (ctx) => {
      const { region } = await registerFleet(ctx, 20);
      const stopAt = { maxFailurePercent: 20, minSample: 4, action: "pause" };
      const { version } = await draftRelease(ctx, region, [
        { name: "canary", share: 50, stopAt },
        { name: "rest", share: 100 },
      ]);
      await ctx.request("POST", `/v1/releases/${version}/start`);
      const now = ctx.clock.now();
      // Remembers the canary as positions 1-10.
      expect(await tickIsDue(ctx.db, version, now)).toBe(false);
      const release = await ctx.request("GET", `/v1/releases/${version}`);
      const replanned = await ctx.request("PUT", `/v1/releases/${version}/waves`, {
        json: { waves: [{ name: "canary", share: 75, stopAt }, { name: "rest", share: 100 }] },
        headers: { "if-match": release.headers.get("etag")! },
      });
      expect(replanned.status).toBe(200);
      // Positions 11-14 belong to the canary now: four failures of four outcomes cross its rule.
      const queue = (await json<QueuePage>(ctx.request("GET", `/v1/releases/${version}/queue?limit=20`))).entries;
      const at = new Date(now.getTime() - 60_000);
      const failed = queue.filter((e) => e.position >= 11 && e.position <= 14).map((e) => ({ eventId: crypto.randomUUID(), vin: e.vin, version, state: "failed" as const, at }));
      expect(failed).toHaveLength(4);
      await recordReports({ db: ctx.db, reports: failed, now });
      expect(await tickIsDue(ctx.db, version, now)).toBe(true);
    }));
});

import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { rowsOf } from "../../src/db/rows";
import type { Release } from "../../src/routes/releases/releases.schemas";
import type { Progress } from "../../src/routes/rollout/rollout.schemas";
import { tickAll } from "../../src/services/clock-tick";
import { type TestContext, withApp } from "../helpers/app";
import { backends } from "../helpers/backends";
import { randomVersion } from "../helpers/fleet";
import { draftRelease, json, registerFleet } from "../helpers/rollout";

// SPEC, Rollout clock: support cases linked to a wave, per 1,000 vehicles
// offered in it, pause or halt the release once minOffered were offered.

const tick = async (ctx: TestContext, ms = 60_000) => {
  ctx.clock.advance(ms);
  await tickAll({ db: ctx.db, now: ctx.clock.now() });
};
const release = (ctx: TestContext, version: string) => json<Release>(ctx.request("GET", `/v1/releases/${version}`));

async function linkCases(ctx: TestContext, vins: string[]) {
  const support = await ctx.keyFor("support");
  for (const [i, vin] of vins.entries()) {
    const res = await ctx.request("POST", `/v1/vehicles/${vin}/cases`, { token: support, json: { reference: `ZD-${900000 + i}`, summary: "won't charge" } });
    expect(res.status).toBe(201);
  }
}

describe.each(backends)("the case-driven stop rule ($name)", (backend) => {
  for (const action of ["pause", "halt"] as const) {
    test(`cases above maxCasesPerThousand ${action} the release on the next tick, audited as the rule`, () =>
      withApp(backend, async (ctx) => {
        const { region, vehicles } = await registerFleet(ctx, 20);
        // 10 cars offered in wave 1: 1 case is 100 per 1,000 (at the limit), 2 cases are 200.
        const stopAt = { maxFailurePercent: 100, minSample: 1, maxCasesPerThousand: 100, minOffered: 10, action };
        const { version } = await draftRelease(ctx, region, [{ name: "first", share: 50, stopAt }, { name: "rest", share: 100, startAt: "2026-12-01T00:00:00Z" }]);
        expect((await ctx.request("POST", `/v1/releases/${version}/start`)).status).toBe(200);
        const queue = await json<{ entries: { vin: string; wave: number }[] }>(ctx.request("GET", `/v1/releases/${version}/queue?wave=1`));
        const inFirst = queue.entries.map((e) => e.vin);
        expect(inFirst).toHaveLength(10);

        await linkCases(ctx, inFirst.slice(0, 1));
        await tick(ctx);
        expect((await release(ctx, version)).state).toBe("rolling_out");
        const progress = await json<Progress>(ctx.request("GET", `/v1/releases/${version}/progress`));
        expect(progress.waves[0]).toMatchObject({ offered: 10, cases: 1, casesPerThousand: 100, maxCasesPerThousand: 100 });
        expect(progress.waves[1]).toMatchObject({ casesPerThousand: null, maxCasesPerThousand: null });

        await linkCases(ctx, inFirst.slice(1, 2));
        expect((await release(ctx, version)).state).toBe("rolling_out");
        await tick(ctx);
        const stopped = await release(ctx, version);
        expect(stopped.state).toBe(action === "pause" ? "paused" : "halted");
        const audit = rowsOf<{ actor: string; after: { reason?: string } }>(
          await ctx.db.execute(sql`select a.actor, a.after from audit_log a join releases r on r.id = a.release_id where r.version = ${version} and a.action = ${`release.${stopped.state}`}`),
        );
        expect(audit).toHaveLength(1);
        expect(audit[0]?.actor).toBe("rule:stopAt wave 1");
        expect(JSON.stringify(audit[0]?.after)).toContain("200.0 per 1,000");
        expect(vehicles).toHaveLength(20);
      }));
  }

  test("the rule waits for minOffered, counts only its own wave's cases, and is refused half-given", () =>
    withApp(backend, async (ctx) => {
      const { region, vehicles } = await registerFleet(ctx, 20);
      const stopAt = { maxFailurePercent: 100, minSample: 1, maxCasesPerThousand: 1, minOffered: 20, action: "pause" as const };
      const { version } = await draftRelease(ctx, region, [{ name: "all", share: 100, ratePerHour: 60, stopAt }]);
      await ctx.request("POST", `/v1/releases/${version}/start`);
      await tick(ctx, 10 * 60_000);
      const offered = await json<{ entries: { vin: string }[] }>(ctx.request("GET", `/v1/releases/${version}/queue?state=offered`));
      expect(offered.entries).toHaveLength(10);
      await linkCases(ctx, offered.entries.slice(0, 5).map((e) => e.vin));
      // 500 per 1,000, but only 10 of the 20 it waits for were offered.
      await tick(ctx, 5 * 60_000);
      expect((await release(ctx, version)).state).toBe("rolling_out");
      await tick(ctx, 5 * 60_000);
      expect((await release(ctx, version)).state).toBe("paused");
      expect(vehicles).toHaveLength(20);

      const draft = randomVersion();
      const created = await ctx.request("POST", "/v1/releases", { json: { version: draft, channel: "stable", eligibility: { regions: [region] } } });
      const halfRule = await ctx.request("PUT", `/v1/releases/${draft}/waves`, {
        json: { waves: [{ name: "all", share: 100, stopAt: { maxFailurePercent: 5, minSample: 10, minOffered: 100, action: "pause" } }] },
        headers: { "if-match": created.headers.get("etag")! },
      });
      expect(halfRule.status).toBe(400);
      for (const bad of [-1, 1001, "3"]) {
        const res = await ctx.request("PUT", `/v1/releases/${draft}/waves`, {
          json: { waves: [{ name: "all", share: 100, stopAt: { maxFailurePercent: 5, minSample: 10, maxCasesPerThousand: bad, action: "pause" } }] },
          headers: { "if-match": created.headers.get("etag")! },
        });
        expect(res.status).toBe(400);
      }
    }));
});

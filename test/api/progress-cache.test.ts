import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { backends } from "../helpers/backends";
import { withApp } from "../helpers/app";
import { draftRelease, json, registerFleet } from "../helpers/rollout";

type Progress = { state: string; waves: { counts: Record<string, number> }[] };

// Issue #11: dashboards poll progress; an answer is reused for at most 1 s
// (counted from its read), and this instance's own rollout actions show at once.
describe.each(backends)("progress answers ($name)", (backend) => {
  test("are reused for at most a second, then read again", () =>
    withApp(backend, async (ctx) => {
      const { region } = await registerFleet(ctx, 6);
      const { version } = await draftRelease(ctx, region, [{ name: "all", share: 100 }]);
      await ctx.request("POST", `/v1/releases/${version}/start`);
      const read = () => json<Progress>(ctx.request("GET", `/v1/releases/${version}/progress`));
      const first = await read();
      // A change made elsewhere (another instance, the clock): not seen within the second...
      await ctx.db.execute(sql`
        update queue_entries set state = 'installed' where release_id = (select id from releases where version = ${version}) and position = 1`);
      ctx.clock.advance(999);
      expect(await read()).toEqual(first);
      // ...and seen once it has passed.
      ctx.clock.advance(2);
      const later = await read();
      expect(later.waves[0]!.counts.installed).toBe(first.waves[0]!.counts.installed! + 1);
    }));

  test("show this instance's own rollout action at once", () =>
    withApp(backend, async (ctx) => {
      const { region } = await registerFleet(ctx, 4);
      const { version } = await draftRelease(ctx, region, [{ name: "all", share: 100 }]);
      await ctx.request("POST", `/v1/releases/${version}/start`);
      expect((await json<Progress>(ctx.request("GET", `/v1/releases/${version}/progress`))).state).toBe("rolling_out");
      expect((await ctx.request("POST", `/v1/releases/${version}/pause`, { json: { message: "Paused while we look." } })).status).toBe(200);
      expect((await json<Progress>(ctx.request("GET", `/v1/releases/${version}/progress`))).state).toBe("paused");
    }));
});

import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { rowsOf } from "../../src/db/rows";
import { type StateCounts, emptyCounts } from "../../src/domain/update-state";
import { backends } from "../helpers/backends";
import { withApp } from "../helpers/app";
import { draftRelease, json } from "../helpers/rollout";

type Progress = { waves: { from: number; to: number; counts: StateCounts }[] };

// Issue #11: the largest wave's counts are the release's totals less everything
// else, so they must come out exactly as a live count would, whatever lies
// outside the waves (skipped cars without a position, cars past the last cut).
describe.each(backends)("per-wave counts ($name)", (backend) => {
  test("equal a live count of every wave, the largest one in the middle of the plan", () =>
    withApp(backend, async (ctx) => {
      const region = `W${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
      const prefix = `W${Math.random().toString(36).slice(2, 5).toUpperCase()}`.replace(/[IOQ]/g, "X");
      const { version } = await draftRelease(ctx, region, [
        { name: "canary", share: 10 },
        { name: "most", share: 85 },
        { name: "late", share: 90 },
      ]);
      // 3,000 cars (three counter blocks and a ragged one), every 50th already on the release (skipped).
      await ctx.db.execute(sql`
        insert into vehicles (vin, model, hardware, region, channel, cohort, firmware, owner_code_hash, device_token_hash)
        select ${prefix} || lpad(i::text, 13, '0'), 'model3', 'HW4', ${region}, 'stable', 'standard'::cohort,
               case when i % 50 = 0 then ${version} else '2026.38.2' end,
               md5('o' || i::text || ${region}), md5('d' || i::text || ${region})
        from generate_series(1, 3000) i`);
      expect((await ctx.request("POST", `/v1/releases/${version}/start`)).status).toBe(200);
      await ctx.request("POST", `/v1/releases/${version}/advance`);
      await ctx.db.execute(sql`
        update queue_entries set state = (array['offered', 'downloading', 'installing', 'installed', 'failed'])[1 + (position * 7) % 5]::update_state
        where release_id = (select id from releases where version = ${version}) and position is not null and position % 3 <> 0`);

      const progress = await json<Progress>(ctx.request("GET", `/v1/releases/${version}/progress`));
      const live = rowsOf<{ position: number | null; state: keyof StateCounts }>(
        await ctx.db.execute(sql`select position, state from queue_entries where release_id = (select id from releases where version = ${version})`),
      );
      expect(live.filter((e) => e.position === null).length).toBe(60);
      expect(live.filter((e) => e.position !== null && e.position > progress.waves[2]!.to).length).toBeGreaterThan(0);
      for (const wave of progress.waves) {
        const expected = emptyCounts();
        for (const e of live) if (e.position !== null && e.position >= wave.from && e.position <= wave.to) expected[e.state]++;
        expect(wave.counts, `wave ${wave.from}-${wave.to}`).toEqual(expected);
      }
    }));
});

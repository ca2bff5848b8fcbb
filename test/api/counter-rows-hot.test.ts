import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { rowsOf } from "../../src/db/rows";
import { withApp } from "../helpers/app";
import { backends } from "../helpers/backends";
import { draftRelease, registerFleet } from "../helpers/rollout";

// Issue #11: a batch of 1,000 reports moves ~700 entries of a million-car queue
// and so updates ~1,000 counter rows (each moved entry's block, old and new
// state) in one statement. Pages of queue_counts filled to the brim had no room
// for those new versions (the statement's own old versions cannot be pruned
// before it commits), so most updates moved the row to another page and wrote
// an entry into both indexes of the table. Migration 0012 leaves nine tenths
// of each page free, and the updates stay on their page (HOT).
describe.each(backends)("a statement that moves entries in many blocks ($name)", (backend) => {
  test("updates their counter rows in place, without index writes", () =>
    withApp(backend, async (ctx) => {
      const { region } = await registerFleet(ctx, 1);
      const { version } = await draftRelease(ctx, region, [{ name: "all", share: 100 }]);
      const [release] = rowsOf<{ id: number }>(await ctx.db.execute(sql`select id from releases where version = ${version}`));
      // One entry in each of 400 blocks (positions 1,024 apart): the insert trigger
      // writes a counter row per block, as a real start does for a 400k-car queue.
      await ctx.db.execute(sql`
        insert into queue_entries (release_id, vehicle_id, position, state)
        select ${release!.id}::int, -g, g * 1024, 'offered' from generate_series(1, 400) g`);
      const counts = async () =>
        rowsOf<{ updated: number; hot: number }>(
          await ctx.db.execute(sql`select n_tup_upd::int as updated, n_tup_hot_upd::int as hot from pg_stat_xact_user_tables where relname = 'queue_counts'`),
        )[0]!;
      const before = await counts();
      // As a report batch does: each entry moves on, so its block's 'offered' row goes down by one.
      await ctx.db.execute(sql`update queue_entries set state = 'downloading' where release_id = ${release!.id}::int`);
      const after = await counts();
      expect(after.updated - before.updated).toBe(400);
      expect(after.hot - before.hot).toBe(400);
      const [total] = rowsOf<{ offered: number; downloading: number }>(
        await ctx.db.execute(sql`
          select coalesce(sum(count) filter (where state = 'offered'), 0)::int as offered,
                 coalesce(sum(count) filter (where state = 'downloading'), 0)::int as downloading
          from queue_counts where release_id = ${release!.id}::int`),
      );
      expect(total).toEqual({ offered: 0, downloading: 400 });
    }));
});

// The bench's instrument itself: its seeded codes must be real owner codes of
// their own vehicles (or every owner-read figure measures 404s), and its counter
// check must see a counter that drifts (or "counters exact" proves nothing).
import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { backends } from "../helpers/backends";
import { withApp } from "../helpers/app";
import { draftRelease } from "../helpers/rollout";
import { countersExact } from "./lib/checks";
import { codeOf, fleet, maskedVinOf, seedFleet, vinOf } from "./lib/fleet";

// Two VIN letters (never I, O or Q) so concurrent test files never share a fleet.
const letters = "ABCDEFGHJKLMNPRSTUVWXYZ";
const randomRegion = () => Array.from({ length: 2 }, () => letters[Math.floor(Math.random() * letters.length)]).join("");

describe.each(backends)("bench harness ($name)", (backend) => {
  test("seeded codes are owner codes, each answering for its own vehicle", () =>
    withApp(backend, async (ctx) => {
      const f = fleet(randomRegion(), 1200);
      await seedFleet(ctx.db, f);
      for (const i of [0, 7, 999, 1000, 1199]) {
        const res = await ctx.request("GET", `/v1/track/${codeOf(f, i)}`, { token: null, peer: `owner-${i}` });
        expect(res.status).toBe(200);
        const body = (await res.json()) as { vehicle: { vin: string } };
        expect(body.vehicle.vin).toBe(maskedVinOf(f, i));
      }
      // The VIN is what gateway reports name: the seeded one, not a look-alike.
      const res = await ctx.request("GET", `/v1/vehicles/${vinOf(f, 1000)}`);
      expect(res.status).toBe(200);
      expect(new Set(Array.from({ length: 1200 }, (_, i) => maskedVinOf(f, i))).size).toBe(1200);
    }));

  test("the counter check passes on a started release and fails once a kept counter drifts", () =>
    withApp(backend, async (ctx) => {
      const f = fleet(randomRegion(), 300);
      await seedFleet(ctx.db, f);
      const { version } = await draftRelease(ctx, f.region, [{ name: "canary", share: 10 }, { name: "all", share: 100 }]);
      expect((await ctx.request("POST", `/v1/releases/${version}/start`)).status).toBe(200);
      const exact = await countersExact(ctx.db, version, "start");
      expect(exact.ok).toBe(true);
      // The canary's 10% are offered at the start, the rest wait in line.
      expect(exact.detail).toContain("offered 30");
      expect(exact.detail).toContain("queued 270");
      await ctx.db.execute(sql`
        update queue_counts set count = count + 1
        where (release_id, block, state) in (select release_id, block, state from queue_counts
          where release_id = (select id from releases where version = ${version}) limit 1)`);
      const drifted = await countersExact(ctx.db, version, "drift");
      expect(drifted.ok).toBe(false);
      expect(drifted.detail).toMatch(/kept \d+ vs \d+/);
    }));
});

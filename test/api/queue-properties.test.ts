import { sql } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { rowsOf } from "../../src/db/rows";
import { backends } from "../helpers/backends";
import { withApp } from "../helpers/app";
import { randomVin } from "../helpers/fleet";

const cohortRank = { employee: 0, early_access: 1, standard: 2 } as const;

const car = fc.record({
  cohort: fc.constantFrom("employee", "early_access", "standard"),
  hardware: fc.constantFrom("HW3", "HW4"),
  firmware: fc.constantFrom("2026.10.0", "2026.30.1", "2026.44.1", "2026.50.0"),
});
const fleet = fc.array(car, { maxLength: 120 });
const eligibility = fc.record({ hardware: fc.constantFrom([], ["HW4"]), minVersion: fc.constantFrom(undefined, "2026.30.0") });
const plan = fc
  .uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 4 })
  .map((shares) => shares.sort((a, b) => a - b).map((share, i) => ({ name: `w${i + 1}`, share, ratePerHour: 1 })));

// The queue's invariants over random fleets, rules and plans, on the real database.
describe.each(backends)("queue invariants under random fleets ($name)", (backend) => {
  test("positions are 1..N, cohorts lead, waves partition the queue, counts sum to N, the same seed gives the same queue", () =>
    withApp(backend, async (ctx) => {
      await fc.assert(
        fc.asyncProperty(fleet, eligibility, plan, fc.integer(), async (cars, rules, waves, seed) => {
          const region = `P${Math.random().toString(36).slice(2, 10).toUpperCase()}`;
          const lines = cars.map((c) => JSON.stringify({ vin: randomVin(), model: "model3", region, channel: "stable", ...c }));
          if (lines.length) await (await ctx.request("POST", "/v1/vehicles/import", { body: lines.join("\n"), headers: { "content-type": "application/x-ndjson" } })).text();
          // Two releases between 2026.44.1 and 2026.50.0: cars on 2026.50.0 are already newer (skipped).
          const patch = 2 + Math.floor(Math.random() * 900_000);
          const versions = [`2026.44.${patch}`, `2026.44.${patch + 1}`];
          for (const version of versions) {
            const eligibilityBody = { regions: [region], hardware: rules.hardware, ...(rules.minVersion ? { minVersion: rules.minVersion } : {}) };
            const created = await ctx.request("POST", "/v1/releases", { json: { version, channel: "stable", eligibility: eligibilityBody } });
            expect(created.status).toBe(201);
            await ctx.db.execute(sql`update releases set seed = ${seed | 0} where version = ${version}`);
            const planned = await ctx.request("PUT", `/v1/releases/${version}/waves`, { json: { waves }, headers: { "if-match": created.headers.get("etag")! } });
            expect(planned.status).toBe(200);
            expect((await ctx.request("POST", `/v1/releases/${version}/start`)).status).toBe(200);
          }
          const queues = await Promise.all(
            versions.map(async (version) =>
              rowsOf<{ position: number | null; vin: string; cohort: keyof typeof cohortRank; state: string }>(
                await ctx.db.execute(sql`select q.position, v.vin, v.cohort, q.state from queue_entries q join vehicles v on v.id = q.vehicle_id
                  where q.release_id = (select id from releases where version = ${version}) order by q.position nulls last`),
              ),
            ),
          );
          const [first, second] = queues as [typeof queues[0], typeof queues[0]];
          const eligible = cars.filter((c) => (rules.hardware.length === 0 || c.hardware === "HW4") && (!rules.minVersion || c.firmware !== "2026.10.0"));
          const queued = first.filter((e) => e.position !== null);
          // every eligible car exactly once; those already on 2026.44.1 or newer are skipped
          expect(first.length).toBe(eligible.length);
          expect(queued.map((e) => e.position)).toEqual(queued.map((_, i) => i + 1));
          expect(first.filter((e) => e.position === null).every((e) => e.state === "skipped")).toBe(true);
          expect(first.length - queued.length).toBe(eligible.filter((c) => c.firmware === "2026.50.0").length);
          const ranks = queued.map((e) => cohortRank[e.cohort]);
          expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
          expect(second.map((e) => e.vin)).toEqual(first.map((e) => e.vin));

          const progress = (await (await ctx.request("GET", `/v1/releases/${versions[0]}/progress`)).json()) as {
            total: number;
            waves: { from: number; to: number; size: number; counts: Record<string, number> }[];
          };
          expect(progress.total).toBe(queued.length);
          let next = 1;
          for (const w of progress.waves) {
            expect(w.from).toBe(next);
            next = w.to + 1;
            expect(Object.values(w.counts).reduce((a, b) => a + b, 0)).toBe(w.size);
          }
          const covered = progress.waves.reduce((n, w) => n + w.size, 0);
          expect(covered).toBeLessThanOrEqual(queued.length);
        }),
        { numRuns: 12 },
      );
    }), 180_000);
});

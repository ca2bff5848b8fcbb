import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { rowsOf } from "../../src/db/rows";
import { vehicles } from "../../src/db/schema";
import { queueMembership } from "../../src/domain/eligibility";
import { membershipSql } from "../../src/services/eligibility-sql";
import { withApp } from "../helpers/app";
import { backends } from "../helpers/backends";
import { randomVin } from "../helpers/fleet";

// Versions around the edges a text or float comparison gets wrong: 9 vs 10, a missing
// trailing part (2026.9 < 2026.9.0), four parts, large parts.
const edgeVersion = fc.constantFrom("2026.9.0", "2026.10.0", "2026.9", "2026.10", "2026.9.0.1", "2026.9.10", "2026.100.0", "2027.1.0", "0.1", "999999999.0");
// Few distinct parts, so a fleet's firmware often meets the release's versions exactly or nearly.
const anyVersion = fc
  .tuple(fc.constantFrom(2026, 2027), fc.array(fc.constantFrom(0, 1, 9, 10), { minLength: 1, maxLength: 3 }))
  .map(([year, parts]) => [year, ...parts].join("."));
const version = fc.oneof({ arbitrary: edgeVersion, weight: 2 }, { arbitrary: anyVersion, weight: 3 });
const models = ["model3", "modelY", "modelS"];
const hardware = ["HW3", "HW4", "HW4.1"];
const channels = ["stable", "beta"] as const;
// Each rule is absent half the time, so that enough cars pass the others to reach the version checks.
const subset = <T>(items: T[]) => fc.option(fc.subarray(items), { nil: undefined, freq: 2 });

// The queue's SQL predicate and the TypeScript rule must agree on every vehicle:
// both decide who is queued, who is already up to date (skipped) and who is excluded.
describe.each(backends)("eligibility in SQL equals the TypeScript rule ($name)", (backend) => {
  test("random fleets and rules get the same answer per vehicle", () =>
    withApp(backend, async (ctx) => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ model: fc.constantFrom(...models), hardware: fc.constantFrom(...hardware), region: fc.nat({ max: 2 }), channel: fc.constantFrom(...channels), firmware: version }), { maxLength: 30 }),
          fc.record({ version, channel: fc.constantFrom(...channels), models: subset(models), hardware: subset(hardware), regions: subset([0, 1, 2]), minVersion: fc.option(version, { nil: undefined, freq: 2 }) }),
          async (fleet, rule) => {
            // Labels of this run only, so vehicles of other runs and tests never answer.
            const run = `E${randomBytes(6).toString("hex").toUpperCase()}`;
            const regions = [0, 1, 2].map((i) => `${run}${i}`);
            const cars = fleet.map((car) => ({ ...car, region: regions[car.region]!, vin: randomVin(), cohort: "standard" as const, ownerCodeHash: randomBytes(32).toString("hex"), deviceTokenHash: randomBytes(32).toString("hex") }));
            if (cars.length) await ctx.db.insert(vehicles).values(cars);
            const release = {
              version: rule.version,
              channel: rule.channel,
              eligibility: {
                ...(rule.models ? { models: rule.models } : {}),
                ...(rule.hardware ? { hardware: rule.hardware } : {}),
                ...(rule.regions ? { regions: rule.regions.map((i) => regions[i]!) } : {}),
                ...(rule.minVersion ? { minVersion: rule.minVersion } : {}),
              },
            };
            const rows = rowsOf<{ vin: string; membership: string }>(
              await ctx.db.execute(sql`select v.vin, ${membershipSql(release)} as membership from vehicles v
                where v.region in (${sql.join(regions.map((r) => sql`${r}`), sql`, `)})`),
            );
            const fromSql = Object.fromEntries(rows.map((r) => [r.vin, r.membership]));
            const fromTs = Object.fromEntries(cars.map((car) => [car.vin, queueMembership(car, release)]));
            expect(fromSql).toEqual(fromTs);
          },
        ),
        { numRuns: 150 },
      );
    }));
});

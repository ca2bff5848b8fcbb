import { describe, expect, test } from "vitest";
import { ineligibility, isUpToDate } from "../../src/domain/eligibility";
import type { QueuePage } from "../../src/routes/rollout/rollout.schemas";
import { backends } from "../helpers/backends";
import { withApp } from "../helpers/app";
import { randomVin, vehicleBody } from "../helpers/fleet";
import { draftRelease, json, registerFleet } from "../helpers/rollout";

// An import batch tells which of its cars may join a rolling release from the
// rows it just wrote (the domain's eligibility rules) before any SQL runs, so
// that batches no release takes cost no statement per release (issue #11).
// The queue must still get exactly the cars the rules admit.
describe.each(backends)("late joiners from an import ($name)", (backend) => {
  test("an import batch joins exactly the cars the eligibility rules admit", () =>
    withApp(backend, async (ctx) => {
      const { region } = await registerFleet(ctx, 3);
      const eligibility = { regions: [region], models: ["model3", "modelY"], hardware: ["HW4"], minVersion: "2026.30.0" };
      const { version } = await draftRelease(ctx, region, [{ name: "all", share: 100, ratePerHour: 1 }], { eligibility });
      await ctx.request("POST", `/v1/releases/${version}/start`);

      const pick = <T>(values: T[]) => values[Math.floor(Math.random() * values.length)]!;
      // One car surely admitted (random picks admit none ~2% of the time), then 59 at random.
      const admittedCar = { vin: randomVin(), ...vehicleBody({ region, model: "model3", hardware: "HW4", channel: "stable", firmware: "2026.38.2" }) };
      const rows = [admittedCar, ...Array.from({ length: 59 }, () => ({
        vin: randomVin(),
        ...vehicleBody({
          region: pick([region, region, "ZZ"]),
          model: pick(["model3", "modelY", "modelS"]),
          hardware: pick(["HW4", "HW4", "HW3"]),
          channel: pick(["stable", "stable", "beta"]),
          firmware: pick(["2026.38.2", "2026.20.1", "2999.1.0"]),
        }),
      }))];
      const imported = await ctx.request("POST", "/v1/vehicles/import", { body: rows.map((r) => JSON.stringify(r)).join("\n"), headers: { "content-type": "application/x-ndjson" } });
      expect((await imported.text()).trim().split("\n").at(-1)).toContain('"committed":true');

      const release = { version, channel: "stable", eligibility };
      const admitted = rows.filter((r) => ineligibility(r, release) === null && !isUpToDate(r.firmware, version)).map((r) => r.vin);
      const page = await json<QueuePage>(ctx.request("GET", `/v1/releases/${version}/queue?limit=200`));
      const joined = page.entries.filter((e) => e.position > 3).map((e) => e.vin);
      expect(joined.sort()).toEqual(admitted.sort());
      expect(joined).toContain(admittedCar.vin);
    }));
});

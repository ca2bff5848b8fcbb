import type { ImportAnswerLine, ImportLineInput } from "../../src/routes/vehicles/vehicles.schemas";
import type { TestContext } from "./app";
import { randomVersion, randomVin, vehicleBody } from "./fleet";

/** Registers `count` vehicles in a region of their own (so other tests' vehicles never qualify) and returns their VINs and codes. */
export async function registerFleet(ctx: TestContext, count: number, overrides: (i: number) => Record<string, unknown> = () => ({})) {
  const region = `T${Math.random().toString(36).slice(2, 10).toUpperCase()}`;
  const vehicles: { vin: string; ownerCode: string; deviceToken: string; cohort: string }[] = [];
  const lines = [];
  for (let i = 0; i < count; i++) {
    const body = vehicleBody({ region, ...overrides(i) });
    lines.push(JSON.stringify({ vin: randomVin(), ...body }));
  }
  const res = await ctx.request("POST", "/v1/vehicles/import", { body: lines.join("\n"), headers: { "content-type": "application/x-ndjson" } });
  for (const line of (await res.text()).trim().split("\n")) {
    const r = JSON.parse(line) as ImportAnswerLine;
    if ("result" in r && r.result === "created") {
      const source = JSON.parse(lines[r.line - 1]!) as ImportLineInput;
      vehicles.push({ vin: r.vin, ownerCode: r.ownerCode, deviceToken: r.deviceToken, cohort: source.cohort });
    }
  }
  if (vehicles.length !== count) throw new Error(`registered ${vehicles.length} of ${count}`);
  return { region, vehicles };
}

export type WaveInput = Record<string, unknown> & { name: string; share: number };

/** A draft release for one region with the given plan; returns its version and current ETag. */
export async function draftRelease(ctx: TestContext, region: string, plan: WaveInput[], extra: Record<string, unknown> = {}) {
  const version = randomVersion();
  const created = await ctx.request("POST", "/v1/releases", {
    json: { version, channel: "stable", notes: "Test release", eligibility: { regions: [region] }, ...extra },
  });
  if (created.status !== 201) throw new Error(`create release: ${created.status} ${await created.text()}`);
  const planned = await ctx.request("PUT", `/v1/releases/${version}/waves`, {
    json: { waves: plan },
    headers: { "if-match": created.headers.get("etag")! },
  });
  if (planned.status !== 200) throw new Error(`plan: ${planned.status} ${await planned.text()}`);
  return { version, etag: planned.headers.get("etag")! };
}

/** A fleet of `count` cars in a region of their own, queued in a started release of one slow wave (nothing is offered yet). */
export async function startedFleet(ctx: TestContext, count: number) {
  const { region, vehicles } = await registerFleet(ctx, count);
  const { version } = await draftRelease(ctx, region, [{ name: "all", share: 100, ratePerHour: 1 }]);
  const started = await ctx.request("POST", `/v1/releases/${version}/start`);
  if (started.status !== 200) throw new Error(`start: ${started.status} ${await started.text()}`);
  return { region, vehicles, version };
}

export async function json<T = Record<string, unknown>>(res: Response | Promise<Response>): Promise<T> {
  return (await (await res).json()) as T;
}

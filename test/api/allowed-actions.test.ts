import { describe, expect, test } from "vitest";
import type { Release } from "../../src/routes/releases/releases.schemas";
import type { TestContext } from "../helpers/app";
import { withApp } from "../helpers/app";
import { backends } from "../helpers/backends";
import { randomVersion } from "../helpers/fleet";
import { type WaveInput, draftRelease, json, registerFleet } from "../helpers/rollout";

const actions = ["start", "pause", "resume", "advance", "halt"] as const;
const bodies: Record<string, unknown> = { pause: { message: "Looking into it" }, halt: { reason: "Bricks head units", message: "Stopped for your safety" } };

const post = (ctx: TestContext, version: string, action: string) =>
  ctx.request("POST", `/v1/releases/${version}/${action}`, { json: bodies[action] });

/** Ways to bring a fresh release of the region into each state and shape that matters to the rules. */
const setups: Record<string, { expected: string[]; make: (ctx: TestContext, region: string) => Promise<string> }> = {
  "draft without a plan": {
    expected: [],
    make: async (ctx, region) => {
      const version = randomVersion();
      await ctx.request("POST", "/v1/releases", { json: { version, channel: "stable", eligibility: { regions: [region] } } });
      return version;
    },
  },
  draft: { expected: ["start"], make: async (ctx, region) => (await draftRelease(ctx, region, [{ name: "a", share: 25 }, { name: "b", share: 100 }])).version },
  rolling_out: { expected: ["pause", "advance", "halt"], make: (ctx, region) => started(ctx, region) },
  "rolling_out on a last wave still offering": {
    expected: ["pause", "halt"],
    make: (ctx, region) => started(ctx, region, [{ name: "all", share: 100, ratePerHour: 1 }]),
  },
  paused: { expected: ["resume", "halt"], make: async (ctx, region) => then(ctx, await started(ctx, region), "pause") },
  completed: { expected: [], make: async (ctx, region) => then(ctx, await then(ctx, await started(ctx, region), "advance"), "advance") },
  halted: { expected: [], make: async (ctx, region) => then(ctx, await started(ctx, region), "halt") },
};

async function started(ctx: TestContext, region: string, plan: WaveInput[] = [{ name: "a", share: 25 }, { name: "b", share: 100 }]) {
  return then(ctx, (await draftRelease(ctx, region, plan)).version, "start");
}

async function then(ctx: TestContext, version: string, action: string) {
  const res = await post(ctx, version, action);
  if (res.status !== 200) throw new Error(`${action}: ${res.status} ${await res.text()}`);
  return version;
}

describe.each(backends)("allowedActions ($name)", (backend) => {
  test.each(Object.entries(setups))("%s: every action in allowedActions succeeds, every other one is 409", (_name, setup) =>
    withApp(backend, async (ctx) => {
      const { region } = await registerFleet(ctx, 8);
      const version = await setup.make(ctx, region);
      const release = await json<Release>(ctx.request("GET", `/v1/releases/${version}`));
      expect(release.allowedActions).toEqual(setup.expected);
      const listed = await json<{ releases: Release[] }>(ctx.request("GET", "/v1/releases"));
      expect(listed.releases.find((r) => r.version === version)?.allowedActions).toEqual(setup.expected);

      for (const action of actions) {
        const fresh = await setup.make(ctx, region);
        const res = await post(ctx, fresh, action);
        expect(res.status, `${action} on ${release.state}`).toBe(release.allowedActions.includes(action) ? 200 : 409);
        // A state change answers with the release, so the client learns what it may do next.
        if (res.status === 200) expect(((await res.json()) as Release).allowedActions).toBeInstanceOf(Array);
      }
    }),
  );
});

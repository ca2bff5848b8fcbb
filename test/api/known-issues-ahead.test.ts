import { describe, expect, test } from "vitest";
import { manualClock } from "../../src/lib/clock";
import { cachedIssuesOf, knownIssueCache, knownIssuesMaxAgeMs, releaseKnownIssues } from "../../src/services/known-issue-cache";
import { withApp } from "../helpers/app";
import { backends } from "../helpers/backends";
import { draftRelease, registerFleet } from "../helpers/rollout";

// An owner's read ahead looks up their release's known issues without waiting
// (services/known-issue-cache.ts `cachedIssuesOf`). It may never show them older than the
// cache itself would: a change made here shows at once, one made by another instance (here:
// the app, beside this cache) within the cache's bound.

const issue = { title: "Charging stops at 80%", body: "Unplug and plug in again." };

describe.each(backends)("known issues looked up ahead ($name)", (backend) => {
  test("the remembered issues give way to a change at once, and to another instance's change when they are due to be read again", () =>
    withApp(backend, async (ctx) => {
      const { region } = await registerFleet(ctx, 1);
      const { version } = await draftRelease(ctx, region, [{ name: "all", share: 100 }]);
      const status = { state: "queued", release: { version }, vehicle: { firmware: "2026.38.2" } };
      const clock = manualClock("2026-11-01T08:00:00Z");
      const cache = knownIssueCache({ clock });
      const issuesOf = cachedIssuesOf(cache, ctx.db);
      const lookUp = (...args: Parameters<typeof issuesOf>) => issuesOf(...args)?.value;

      expect(lookUp(status, clock.now())).toBeUndefined();
      expect(await releaseKnownIssues(cache, ctx.db, version)).toEqual([]);
      expect(lookUp(status, clock.now())).toEqual([]);

      // Another instance publishes one: within the bound, the remembered (empty) list may stand.
      expect((await ctx.request("POST", `/v1/releases/${version}/known-issues`, { json: issue })).status).toBe(201);
      expect(lookUp(status, clock.now())).toEqual([]);
      // Due to be read again: the lookup asks the cache, which reads ahead of the list's end.
      clock.advance(knownIssuesMaxAgeMs - 1);
      expect(lookUp(status, clock.now())).toEqual([]);
      await expect.poll(() => lookUp(status, clock.now())?.length).toBe(1);

      // A change on this instance forgets the release: the lookup has nothing to show at once.
      cache.forget(version);
      expect(lookUp(status, clock.now())).toBeUndefined();
    }));
});

import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { rowsOf } from "../../src/db/rows";
import { tickAll } from "../../src/services/clock-tick";
import type { AuditPage } from "../../src/routes/audit/audit.schemas";
import type { Release } from "../../src/routes/releases/releases.schemas";
import type { Progress, QueuePage } from "../../src/routes/rollout/rollout.schemas";
import { backends } from "../helpers/backends";
import { withApp } from "../helpers/app";
import { randomVin, vehicleBody } from "../helpers/fleet";
import { draftRelease, json, registerFleet } from "../helpers/rollout";

const cohorts = (i: number) => ({ cohort: i % 10 === 0 ? "employee" : i % 5 === 0 ? "early_access" : "standard" });

describe.each(backends)("rollout engine ($name)", (backend) => {
  test("start builds a stable queue: eligible vehicles only, cohorts first, newer firmware skipped", () =>
    withApp(backend, async (ctx) => {
      const { region, vehicles } = await registerFleet(ctx, 60, (i) => ({ ...cohorts(i), firmware: i === 59 ? "2999.1.0" : "2026.38.2", hardware: i === 58 ? "HW3" : "HW4" }));
      const { version } = await draftRelease(ctx, region, [{ name: "first", share: 10 }, { name: "rest", share: 100 }], { eligibility: { regions: [region], hardware: ["HW4"] } });
      const res = await ctx.request("POST", `/v1/releases/${version}/start`);
      expect(res.status).toBe(200);
      const release = (await res.json()) as Release;
      // 60 vehicles, one on other hardware (not eligible), one on newer firmware (skipped)
      expect(release).toMatchObject({ state: "rolling_out", total: 58, offeredThrough: 6 });
      expect(release.counts).toMatchObject({ queued: 52, offered: 6, skipped: 1 });
      expect(release.waves.map((w) => [w.state, w.from, w.to])).toEqual([["active", 1, 6], ["pending", 7, 58]]);

      const page = await json<QueuePage>(ctx.request("GET", `/v1/releases/${version}/queue?limit=1000`));
      expect(page.entries.map((e) => e.position)).toEqual(Array.from({ length: 58 }, (_, i) => i + 1));
      const cohortOf = new Map(vehicles.map((v) => [v.vin, v.cohort]));
      const order = page.entries.map((e) => cohortOf.get(e.vin));
      const rank = { employee: 0, early_access: 1, standard: 2 } as Record<string, number>;
      expect(order.map((c) => rank[c!])).toEqual([...order.map((c) => rank[c!]!)].sort());
      expect(page.entries.filter((e) => e.wave === 1).every((e) => e.state === "offered")).toBe(true);
    }));

  test("the same inputs give the same queue; the order is not by VIN", () =>
    withApp(backend, async (ctx) => {
      const { region } = await registerFleet(ctx, 40);
      const a = await draftRelease(ctx, region, [{ name: "all", share: 100, ratePerHour: 1 }]);
      const b = await draftRelease(ctx, region, [{ name: "all", share: 100, ratePerHour: 1 }]);
      await ctx.db.execute(sql`update releases set seed = 12345 where version in (${a.version}, ${b.version})`);
      for (const r of [a, b]) expect((await ctx.request("POST", `/v1/releases/${r.version}/start`)).status).toBe(200);
      const vinsOf = async (v: string) => (await json<QueuePage>(ctx.request("GET", `/v1/releases/${v}/queue?limit=100`))).entries.map((e) => e.vin);
      const [first, second] = [await vinsOf(a.version), await vinsOf(b.version)];
      expect(second).toEqual(first);
      expect(first).not.toEqual([...first].sort());
    }));

  test("the queue pages by cursor and filters by wave and state", () =>
    withApp(backend, async (ctx) => {
      const { region } = await registerFleet(ctx, 30);
      const { version } = await draftRelease(ctx, region, [{ name: "a", share: 20 }, { name: "b", share: 100, ratePerHour: 1 }]);
      await ctx.request("POST", `/v1/releases/${version}/start`);
      const first = await json<QueuePage>(ctx.request("GET", `/v1/releases/${version}/queue?limit=10`));
      expect(first.entries).toHaveLength(10);
      expect(first.next).toBe(10);
      const second = await json<QueuePage>(ctx.request("GET", `/v1/releases/${version}/queue?limit=10&after=${first.next}`));
      expect(second.entries[0]!.position).toBe(11);
      const wave2 = await json<QueuePage>(ctx.request("GET", `/v1/releases/${version}/queue?wave=2&limit=100`));
      expect(wave2.entries.map((e) => e.position)).toEqual(Array.from({ length: 24 }, (_, i) => i + 7));
      const offered = await json<QueuePage>(ctx.request("GET", `/v1/releases/${version}/queue?state=offered`));
      expect(offered.entries.map((e) => e.position)).toEqual([1, 2, 3, 4, 5, 6]);
      expect((await ctx.request("GET", `/v1/releases/${version}/queue?limit=0`)).status).toBe(400);
      expect((await ctx.request("GET", `/v1/releases/${version}/queue?state=lost`)).status).toBe(400);
    }));

  test("the clock offers at the wave's rate, and pause stops it; resume does not catch up in a burst", () =>
    withApp(backend, async (ctx) => {
      const { region } = await registerFleet(ctx, 100);
      const { version } = await draftRelease(ctx, region, [{ name: "all", share: 100, ratePerHour: 60 }]);
      await ctx.request("POST", `/v1/releases/${version}/start`);
      const offered = async () => (await json<Release>(ctx.request("GET", `/v1/releases/${version}`))).offeredThrough;
      ctx.clock.advance(10 * 60_000);
      await tickAll({ db: ctx.db, now: ctx.clock.now() });
      expect(await offered()).toBe(10);
      const paused = await ctx.request("POST", `/v1/releases/${version}/pause`, { json: { message: "Looking into a charging issue" } });
      expect(paused.status).toBe(200);
      expect(((await paused.json()) as Release).notice).toMatchObject({ kind: "paused", message: "Looking into a charging issue" });
      ctx.clock.advance(60 * 60_000);
      await tickAll({ db: ctx.db, now: ctx.clock.now() });
      expect(await offered()).toBe(10);
      expect((await ctx.request("POST", `/v1/releases/${version}/resume`)).status).toBe(200);
      ctx.clock.advance(5 * 60_000);
      await tickAll({ db: ctx.db, now: ctx.clock.now() });
      expect(await offered()).toBe(15);
    }));

  test("illegal transitions are 409; halt cancels everything not yet offered", () =>
    withApp(backend, async (ctx) => {
      const { region } = await registerFleet(ctx, 20);
      const { version } = await draftRelease(ctx, region, [{ name: "a", share: 25 }, { name: "b", share: 100 }]);
      for (const action of ["pause", "resume", "advance"]) {
        const res = await ctx.request("POST", `/v1/releases/${version}/${action}`, { json: action === "pause" ? { message: "x" } : undefined });
        expect(res.status, action).toBe(409);
      }
      await ctx.request("POST", `/v1/releases/${version}/start`);
      expect((await ctx.request("POST", `/v1/releases/${version}/start`)).status).toBe(409);
      expect((await ctx.request("POST", `/v1/releases/${version}/halt`, { json: { reason: "bricks head units" } })).status).toBe(400);
      const halted = await json<Release>(ctx.request("POST", `/v1/releases/${version}/halt`, { json: { reason: "Bricks head units", message: "Stopped for your safety" } }));
      expect(halted).toMatchObject({ state: "halted", haltReason: "Bricks head units", notice: { kind: "halted", message: "Stopped for your safety" } });
      expect(halted.counts).toMatchObject({ offered: 5, queued: 0, cancelled: 15 });
      expect((await ctx.request("POST", `/v1/releases/${version}/resume`)).status).toBe(409);
    }));

  test("advance opens the next wave now, and completes the release from a last wave that reached everyone", () =>
    withApp(backend, async (ctx) => {
      const { region } = await registerFleet(ctx, 20);
      const { version } = await draftRelease(ctx, region, [{ name: "a", share: 25 }, { name: "b", share: 100 }]);
      await ctx.request("POST", `/v1/releases/${version}/start`);
      const advanced = await json<Release>(ctx.request("POST", `/v1/releases/${version}/advance`));
      expect(advanced.waves.map((w) => w.state)).toEqual(["done", "active"]);
      expect(advanced.offeredThrough).toBe(20);
      const completed = await json<Release>(ctx.request("POST", `/v1/releases/${version}/advance`));
      expect(completed.state).toBe("completed");
    }));

  test("a safety rule pauses the release when a wave's failure rate crosses its limit", () =>
    withApp(backend, async (ctx) => {
      const { region } = await registerFleet(ctx, 40);
      const { version } = await draftRelease(ctx, region, [
        { name: "canary", share: 50, stopAt: { maxFailurePercent: 10, minSample: 5, action: "pause" } },
        { name: "rest", share: 100 },
      ]);
      await ctx.request("POST", `/v1/releases/${version}/start`);
      // outcomes as the report path will write them: 4 installed, 1 failed
      await ctx.db.execute(sql`
        update queue_entries set state = case when position = 1 then 'failed'::update_state else 'installed'::update_state end, state_at = ${ctx.clock.now().toISOString()}::timestamptz
        where release_id = (select id from releases where version = ${version}) and position <= 5`);
      await tickAll({ db: ctx.db, now: ctx.clock.now() });
      const release = await json<Release>(ctx.request("GET", `/v1/releases/${version}`));
      expect(release.state).toBe("paused");
      expect(release.notice?.kind).toBe("paused");
      const audit = await json<AuditPage>(ctx.request("GET", `/v1/audit?release=${version}`));
      expect(audit.entries[0]).toMatchObject({ actor: "rule:stopAt wave 1", action: "release.paused" });
    }));

  test("progress per wave: sizes, offered, counts that sum to the queue, failure rate", () =>
    withApp(backend, async (ctx) => {
      const { region } = await registerFleet(ctx, 50);
      const { version } = await draftRelease(ctx, region, [{ name: "a", share: 10 }, { name: "b", share: 60, ratePerHour: 100 }, { name: "c", share: 100 }]);
      await ctx.request("POST", `/v1/releases/${version}/start`);
      await ctx.db.execute(sql`
        update queue_entries set state = case when position = 2 then 'failed'::update_state else 'installed'::update_state end
        where release_id = (select id from releases where version = ${version}) and position <= 4`);
      const progress = await json<Progress>(ctx.request("GET", `/v1/releases/${version}/progress`));
      expect(progress.waves.map((w) => [w.size, w.offered, w.state])).toEqual([[5, 5, "active"], [25, 0, "pending"], [20, 0, "pending"]]);
      expect(progress.waves[0]!.counts).toMatchObject({ installed: 3, failed: 1, offered: 1 });
      expect(progress.waves[0]!.failureRate).toBe(0.25);
      const sum = progress.waves.reduce((n, w) => n + Object.values(w.counts).reduce((a, b) => a + b, 0), 0);
      expect(sum).toBe(progress.total);
    }));

  test("vehicles that become eligible after the start join the end of the queue", () =>
    withApp(backend, async (ctx) => {
      const { region } = await registerFleet(ctx, 10);
      const { version } = await draftRelease(ctx, region, [{ name: "all", share: 100, ratePerHour: 1 }]);
      await ctx.request("POST", `/v1/releases/${version}/start`);
      const late = randomVin();
      await ctx.request("PUT", `/v1/vehicles/${late}`, { json: vehicleBody({ region, hardware: "HW4" }) });
      const moved = randomVin();
      await ctx.request("PUT", `/v1/vehicles/${moved}`, { json: vehicleBody({ region: "ZZ" }) });
      await ctx.request("PUT", `/v1/vehicles/${moved}`, { json: vehicleBody({ region }) });
      const page = await json<QueuePage>(ctx.request("GET", `/v1/releases/${version}/queue?limit=100`));
      expect(page.entries.slice(-2).map((e) => [e.position, e.vin])).toEqual([[11, late], [12, moved]]);
      expect((await json<Release>(ctx.request("GET", `/v1/releases/${version}`))).total).toBe(12);
    }));

  test("the audit log records who changed what, and filters by release and actor", () =>
    withApp(backend, async (ctx) => {
      const manager = await ctx.keyFor("release_manager");
      const { region } = await registerFleet(ctx, 5);
      const { version } = await draftRelease(ctx, region, [{ name: "all", share: 100 }]);
      await ctx.request("POST", `/v1/releases/${version}/start`, { token: manager });
      const mine = await json<AuditPage>(
        ctx.request("GET", `/v1/audit?release=${version}&actor=${encodeURIComponent("key:")}`, { token: manager }),
      );
      expect(mine.entries).toEqual([]);
      const all = await json<AuditPage>(ctx.request("GET", `/v1/audit?release=${version}`, { token: manager }));
      expect(all.entries.map((e) => e.action)).toEqual(["wave.opened", "release.started", "waves.replanned", "release.created"]);
      expect(all.entries[1]).toMatchObject({ release: version, before: { state: "draft" }, after: { state: "rolling_out" } });
      expect(all.entries[1]!.actor).toMatch(/test release_manager/);
      const support = await ctx.keyFor("support");
      expect((await ctx.request("GET", "/v1/audit", { token: support })).status).toBe(403);
    }));

  test("counters stay equal to a full count after every kind of change", () =>
    withApp(backend, async (ctx) => {
      const { region } = await registerFleet(ctx, 3000);
      const { version } = await draftRelease(ctx, region, [{ name: "a", share: 30 }, { name: "b", share: 100 }]);
      await ctx.request("POST", `/v1/releases/${version}/start`);
      await ctx.db.execute(sql`update queue_entries set state = 'installed' where release_id = (select id from releases where version = ${version}) and position % 7 = 0 and state = 'offered'`);
      await ctx.request("POST", `/v1/releases/${version}/halt`, { json: { reason: "test", message: "test" } });
      const rows = rowsOf<{ state: string; kept: number; actual: number }>(
        await ctx.db.execute(sql`
          with r as (select id from releases where version = ${version})
          select s.state, coalesce((select sum(count) from queue_counts c where c.release_id = (select id from r) and c.state = s.state), 0)::int as kept,
                 (select count(*) from queue_entries q where q.release_id = (select id from r) and q.state = s.state)::int as actual
          from unnest(enum_range(null::update_state)) s(state)`),
      );
      for (const row of rows) expect(row.kept, row.state).toBe(row.actual);
      expect(rows.find((r) => r.state === "cancelled")!.actual).toBeGreaterThan(2000);
    }));
});

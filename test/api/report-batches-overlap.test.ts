import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { parseConfig } from "../../src/config";
import { createApp } from "../../src/app";
import { connectPostgres } from "../../src/db/postgres";
import { rowsOf } from "../../src/db/rows";
import { type EntryState, type ReportedState, applyReport } from "../../src/domain/update-state";
import { manualClock } from "../../src/lib/clock";
import { recordReports } from "../../src/services/reports";
import type { ReportResults } from "../../src/routes/reports/reports.schemas";
import { adminToken } from "../helpers/app";
import { randomVersion, randomVin, vehicleBody } from "../helpers/fleet";

const url = process.env.DATABASE_URL;
const states: ReportedState[] = ["downloading", "installing", "installed", "failed"];

// Issue #11: report batches store their reports first and lock their cars'
// entries only for the writes that need them. Gateways' batches of random cars
// nearly always share some, so concurrent batches about the same cars must
// still apply one after the other: every car ends in the state of its reports
// folded in time order, counters equal a full count, and each install moves
// the firmware once. Real concurrency needs real connections: Postgres only.
describe.runIf(url)("overlapping report batches at once (postgres)", () => {
  test("end as if applied one after the other, counters exact, each install recorded once", async () => {
    const { db, close } = connectPostgres(url!, { max: 8 });
    const clock = manualClock();
    const app = createApp({ db, clock, config: { ...parseConfig({}), adminToken, maxBodyBytes: 1 << 22 } });
    const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}, token = adminToken) =>
      app.request(path, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
    const region = `O${Math.random().toString(36).slice(2, 9).toUpperCase()}`;
    const version = randomVersion();
    try {
      const vins = Array.from({ length: 150 }, () => randomVin());
      const lines = vins.map((vin) => JSON.stringify({ vin, ...vehicleBody({ region }) })).join("\n");
      await (await app.request("/v1/vehicles/import", { method: "POST", headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/x-ndjson" }, body: lines })).text();
      const created = await call("POST", "/v1/releases", { version, channel: "stable", eligibility: { regions: [region] } });
      await call("PUT", `/v1/releases/${version}/waves`, { waves: [{ name: "all", share: 100 }] }, { "if-match": created.headers.get("etag")! });
      expect((await call("POST", `/v1/releases/${version}/start`)).status).toBe(200);
      const gateway = ((await (await call("POST", "/v1/keys", { label: "overlap", role: "gateway" })).json()) as { token: string }).token;

      // 16 batches of 300 reports about the same 150 cars, sent at once: every pair shares most cars.
      const base = clock.now().getTime() - 3_600_000;
      const batches = Array.from({ length: 16 }, () =>
        Array.from({ length: 300 }, () => ({
          eventId: crypto.randomUUID(),
          vin: vins[Math.floor(Math.random() * vins.length)]!,
          version,
          state: states[Math.floor(Math.random() * states.length)]!,
          at: new Date(base + Math.floor(Math.random() * 3_000_000)).toISOString(),
        })),
      );
      const answers = await Promise.all(batches.map((reports) => call("POST", "/v1/reports", { reports }, {}, gateway)));
      expect(answers.map((a) => a.status)).toEqual(batches.map(() => 200));
      const bodies = await Promise.all(answers.map((a) => a.json() as Promise<ReportResults>));
      expect(bodies.every((b) => b.accepted === 300)).toBe(true);

      // What one-at-a-time application gives: each car's reports folded in time order from `offered`.
      const expected = new Map<string, EntryState>(vins.map((vin) => [vin, { state: "offered", stateAt: null }]));
      const all = batches.flat().sort((a, b) => a.at.localeCompare(b.at));
      for (const r of all) {
        const next = applyReport(expected.get(r.vin)!, { state: r.state, at: new Date(r.at) });
        if (next) expected.set(r.vin, next);
      }
      const stored = rowsOf<{ vin: string; state: string; state_at: string; firmware: string; installs: number }>(
        await db.execute(sql`
          select v.vin, q.state, to_json(q.state_at) #>> '{}' as state_at, v.firmware,
                 (select count(*) from firmware_changes f where f.vehicle_id = v.id and f.source = 'install')::int as installs
          from queue_entries q join vehicles v on v.id = q.vehicle_id join releases r on r.id = q.release_id
          where r.version = ${version}`),
      );
      expect(stored).toHaveLength(vins.length);
      for (const row of stored) {
        const want = expected.get(row.vin)!;
        expect({ vin: row.vin, state: row.state, at: new Date(row.state_at).toISOString() }).toEqual({ vin: row.vin, state: want.state, at: want.stateAt?.toISOString() });
        const installed = want.state === "installed";
        expect({ vin: row.vin, firmware: row.firmware, installs: row.installs }).toEqual({ vin: row.vin, firmware: installed ? version : "2026.38.2", installs: installed ? 1 : 0 });
      }
      const counts = rowsOf<{ state: string; kept: number; actual: number }>(
        await db.execute(sql`
          select s.state,
                 coalesce((select sum(c.count) from queue_counts c join releases r on r.id = c.release_id where r.version = ${version} and c.state = s.state), 0)::int as kept,
                 (select count(*) from queue_entries q join releases r on r.id = q.release_id where r.version = ${version} and q.state = s.state)::int as actual
          from unnest(enum_range(null::update_state)) s(state)`),
      );
      for (const row of counts) expect(row.kept, row.state).toBe(row.actual);
    } finally {
      await db.execute(sql`delete from queue_entries where release_id in (select id from releases where version = ${version})`);
      await db.execute(sql`delete from releases where version = ${version}`);
      await db.execute(sql`delete from vehicles where region = ${region}`);
      await close();
    }
  });

  test("batches resending the same event ids in opposite orders all succeed: each event is stored once", async () => {
    const { db, close } = connectPostgres(url!, { max: 8 });
    const clock = manualClock();
    const app = createApp({ db, clock, config: { ...parseConfig({}), adminToken, maxBodyBytes: 1 << 22 } });
    const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}, token = adminToken) =>
      app.request(path, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
    const region = `R${Math.random().toString(36).slice(2, 9).toUpperCase()}`;
    const version = randomVersion();
    try {
      const vins = Array.from({ length: 100 }, () => randomVin());
      const lines = vins.map((vin) => JSON.stringify({ vin, ...vehicleBody({ region }) })).join("\n");
      await (await app.request("/v1/vehicles/import", { method: "POST", headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/x-ndjson" }, body: lines })).text();
      const created = await call("POST", "/v1/releases", { version, channel: "stable", eligibility: { regions: [region] } });
      await call("PUT", `/v1/releases/${version}/waves`, { waves: [{ name: "all", share: 100 }] }, { "if-match": created.headers.get("etag")! });
      expect((await call("POST", `/v1/releases/${version}/start`)).status).toBe(200);

      // A gateway that resends a batch in another order while the first send is still being written
      // (written past the HTTP layer, so both statements surely run at once): stored in the order
      // they came, each would wait for an event id the other holds, and one would fail as a deadlock.
      const at = new Date(clock.now().getTime() - 60_000);
      const reports = Array.from({ length: 3000 }, (_, i) => ({ eventId: crypto.randomUUID(), vin: vins[i % vins.length]!, version, state: "downloading" as const, at }));
      // Both connections open beforehand, so that neither statement starts late.
      await Promise.all([1, 2, 3].map(() => db.execute(sql`select pg_sleep(0.05)`)));
      const outcomes = await Promise.allSettled([reports, [...reports].reverse()].map((batch, lane) => recordReports({ db, reports: batch, now: clock.now(), stripe: lane + 1 })));
      expect(outcomes.map((o) => (o.status === "rejected" ? String(o.reason) : o.status))).toEqual(["fulfilled", "fulfilled"]);
      const statuses = outcomes.flatMap((o) => (o.status === "fulfilled" ? o.value.results.map((r) => r.status) : []));
      expect(statuses.filter((s) => s === "accepted")).toHaveLength(3000);
      expect(statuses.filter((s) => s === "duplicate")).toHaveLength(3000);
    } finally {
      await db.execute(sql`delete from update_events where release_id in (select id from releases where version = ${version})`);
      await db.execute(sql`delete from queue_entries where release_id in (select id from releases where version = ${version})`);
      await db.execute(sql`delete from releases where version = ${version}`);
      await db.execute(sql`delete from vehicles where region = ${region}`);
      await close();
    }
  });
});

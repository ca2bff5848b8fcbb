import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { rowsOf } from "../../src/db/rows";
import { type EntryState, type ReportedState, applyReport } from "../../src/domain/update-state";
import { recordReports } from "../../src/services/reports";
import type { ReportResults } from "../../src/routes/reports/reports.schemas";
import { startedOnPostgres } from "../helpers/postgres-rollout";

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
    const { db, clock, call, version, vins, gateway, done } = await startedOnPostgres(url!, { cars: 150, label: "overlap" });
    try {
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
      await done();
    }
  });

  test("batches resending the same event ids in opposite orders all succeed: each event is stored once", async () => {
    const { db, clock, version, vins, done } = await startedOnPostgres(url!, { cars: 100, label: "resend" });
    try {
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
      await done();
    }
  });
});

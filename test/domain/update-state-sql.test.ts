import { sql } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { rowsOf } from "../../src/db/rows";
import { type EntryState, applyReport, reportedStates, updateStates } from "../../src/domain/update-state";
import { foldedEntriesSql } from "../../src/services/update-state-sql";
import { withApp } from "../helpers/app";
import { backends } from "../helpers/backends";

// Few distinct minutes, so that reports often tie with each other and with the entry.
const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 8, minute));
const minute = fc.integer({ min: 0, max: 4 });
const entry = fc.record({ state: fc.constantFrom(...updateStates), minute: fc.option(minute, { nil: null }) });
const report = fc.record({ state: fc.constantFrom(...reportedStates), minute });

/** The fold reports.ts did in TypeScript: each entry's reports applied in time order (stable on ties). */
function foldInTs(start: EntryState, reports: { state: (typeof reportedStates)[number]; at: Date }[]) {
  let current = start;
  for (const r of [...reports].sort((a, b) => a.at.getTime() - b.at.getTime())) current = applyReport(current, r) ?? current;
  const changed = current.state !== start.state || current.stateAt?.getTime() !== start.stateAt?.getTime();
  return { state: current.state, stateAt: current.stateAt?.toISOString() ?? null, changed };
}

// A batch of reports is applied in one statement (services/reports.ts): its SQL
// fold must end every entry where the TypeScript rule ends it.
describe.each(backends)("the reports' fold in SQL equals applyReport in time order ($name)", (backend) => {
  test("random entries and reports, with ties, end in the same state and time", () =>
    withApp(backend, async (ctx) => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(entry, fc.array(report, { minLength: 1, maxLength: 6 })), { minLength: 1, maxLength: 8 }), async (cases) => {
          const entries = cases.map(([e], i) => ({ vehicle_id: i + 1, release_id: 1, state: e.state, state_at: e.minute === null ? null : at(e.minute).toISOString() }));
          // Reports of all entries interleaved, as a batch brings them.
          const reports = cases.flatMap(([, rs], i) => rs.map((r, k) => ({ vehicle_id: i + 1, release_id: 1, state: r.state, at: at(r.minute).toISOString(), k }))).sort((a, b) => a.k - b.k);
          const rows = rowsOf<{ vehicle_id: number; state: string; state_at: string | null; changed: boolean }>(
            await ctx.db.execute(sql`
              with e as (select vehicle_id, release_id, state::update_state as state, state_at
                         from json_to_recordset(${JSON.stringify(entries)}::json) as x(vehicle_id bigint, release_id int, state text, state_at timestamptz)),
                   r as (select vehicle_id, release_id, state::update_state as state, at
                         from json_to_recordset(${JSON.stringify(reports)}::json) as x(vehicle_id bigint, release_id int, state text, at timestamptz)),
                   f as (${foldedEntriesSql(sql`e`, sql`r`)})
              select vehicle_id::int, state::text, to_json(state_at) #>> '{}' as state_at, changed from f order by vehicle_id`),
          );
          const fromSql = rows.map((row) => ({ state: row.state, stateAt: row.state_at === null ? null : new Date(row.state_at).toISOString(), changed: row.changed }));
          const fromTs = cases.map(([e, rs]) =>
            foldInTs({ state: e.state, stateAt: e.minute === null ? null : at(e.minute) }, rs.map((r) => ({ state: r.state, at: at(r.minute) }))),
          );
          expect(fromSql).toEqual(fromTs);
        }),
        { numRuns: 300 },
      );
    }));
});

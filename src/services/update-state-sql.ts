import { type SQL, sql } from "drizzle-orm";
import { progressRank, updateStates } from "../domain/update-state";

/** `progressRank[state]` as SQL, from the domain's own table. */
const rankOf = (state: SQL) => sql`(case ${state} ${sql.raw(updateStates.map((s) => `when '${s}' then ${progressRank[s]}`).join(" "))} end)`;

/**
 * `applyReport` (domain/update-state.ts) folded over each entry's reports in
 * time order, as one set-based query, so that a whole batch of reports is
 * applied in one statement. Folded in time order, the rule keeps:
 * - `installed` at the earliest install, when the entry or any report is
 *   installed (an entry installed without a time keeps it as it is);
 * - otherwise a skipped or cancelled entry as it is;
 * - otherwise the latest by (at, progress rank): a report replaces the entry
 *   only when strictly later, and always when the entry has no time yet.
 * `entries` has (vehicle_id, release_id, state, state_at), `reports`
 * (vehicle_id, release_id, state, at); the result has one row per entry with
 * reports: its previous and new state and time, and whether it changed.
 * test/domain/update-state-sql.test.ts holds it to the TypeScript fold on random input.
 */
export function foldedEntriesSql(entries: SQL, reports: SQL): SQL {
  return sql`
    select e.vehicle_id, e.release_id, e.state as previous, e.state_at as previous_at,
           case p.pick when 'entry' then e.state when 'install' then 'installed' else r.last_state end as state,
           case p.pick when 'entry' then e.state_at when 'install' then r.first_install else r.last_at end as state_at,
           p.pick <> 'entry' as changed
    from ${entries} e
    join (select r.vehicle_id, r.release_id,
                 min(r.at) filter (where r.state = 'installed') as first_install,
                 max(r.at) as last_at,
                 (array_agg(r.state order by r.at desc, ${rankOf(sql`r.state`)} desc))[1] as last_state
          from ${reports} r group by r.vehicle_id, r.release_id) r
      on r.vehicle_id = e.vehicle_id and r.release_id = e.release_id
    cross join lateral (select case
      when e.state = 'installed' then case when e.state_at is not null and r.first_install < e.state_at then 'install' else 'entry' end
      when r.first_install is not null then 'install'
      when e.state in ('skipped', 'cancelled') then 'entry'
      when e.state_at is null or (r.last_at, ${rankOf(sql`r.last_state`)}) > (e.state_at, ${rankOf(sql`e.state`)}) then 'last'
      else 'entry' end as pick) p`;
}

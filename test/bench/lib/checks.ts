// The correctness side of every run: what the bench may never buy speed with.
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../../src/db/client";
import { rowsOf } from "../../../src/db/rows";

export async function countOf(db: Db, query: SQL): Promise<number> {
  return rowsOf<{ n: number }>(await db.execute(query))[0]!.n;
}

export type Check = { name: string; ok: boolean; detail: string };

/** The kept per-state counters of a release against a live count of its queue. */
export async function countersExact(db: Db, version: string, after: string): Promise<Check> {
  const rows = rowsOf<{ state: string; live: number; kept: number }>(await db.execute(sql`
    with r as (select id from releases where version = ${version}),
    live as (select state, count(*)::int as n from queue_entries where release_id = (select id from r) group by state),
    kept as (select state, sum(count)::int as n from queue_counts where release_id = (select id from r) group by state)
    select coalesce(live.state, kept.state)::text as state, coalesce(live.n, 0) as live, coalesce(kept.n, 0) as kept
    from live full join kept on live.state = kept.state`));
  const wrong = rows.filter((r) => r.live !== r.kept);
  const summary = rows.map((r) => `${r.state} ${r.live}`).join(", ");
  return {
    name: `counters exact after ${after}`,
    ok: wrong.length === 0 && rows.length > 0,
    detail: wrong.length ? `differ: ${wrong.map((r) => `${r.state} kept ${r.kept} vs ${r.live}`).join(", ")}` : summary,
  };
}

export function no5xx(after: string, results: { status5xx: number; socketErrors: number; timeouts: number }[]): Check {
  const s5 = results.reduce((n, r) => n + r.status5xx, 0);
  const broken = results.reduce((n, r) => n + r.socketErrors + r.timeouts, 0);
  return { name: `no 5xx during ${after}`, ok: s5 === 0 && broken === 0, detail: `${s5} 5xx, ${broken} socket errors/timeouts` };
}

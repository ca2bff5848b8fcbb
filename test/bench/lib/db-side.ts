// What the database did during a load run, to tell a change in the server's cost from
// one in the database's: its backends' CPU time (read from /proc, so only for a
// Postgres on this machine) and the checkpoints that ran.
import { sql } from "drizzle-orm";
import type { Db } from "../../../src/db/client";
import { rowsOf } from "../../../src/db/rows";
import { cpuMs } from "./proc";

export type DbSide = { backendsCpuMs: Map<number, number>; checkpoints: number };

/** CPU time so far of every client backend of this database but the bench's own connection, and the server's checkpoint count. */
export async function dbSide(db: Db): Promise<DbSide> {
  const [row] = rowsOf<{ pids: number[] | null; checkpoints: number }>(
    await db.execute(sql`
      select (select array_agg(pid) from pg_stat_activity
              where datname = current_database() and backend_type = 'client backend' and pid <> pg_backend_pid()) as pids,
             (select (checkpoints_timed + checkpoints_req)::int from pg_stat_bgwriter) as checkpoints`),
  );
  const backendsCpuMs = new Map<number, number>();
  for (const pid of row?.pids ?? []) {
    try {
      backendsCpuMs.set(pid, cpuMs(pid));
    } catch {
      // A backend that ended meanwhile, or a Postgres on another machine: no figure.
    }
  }
  return { backendsCpuMs, checkpoints: row?.checkpoints ?? 0 };
}

/** The backends' CPU time (ms) and the checkpoints between two readings; null CPU when no backend could be read. */
export function dbSideDelta(before: DbSide, after: DbSide): { cpuMs: number | null; checkpoints: number } {
  let total = 0;
  for (const [pid, ms] of after.backendsCpuMs) total += ms - (before.backendsCpuMs.get(pid) ?? 0);
  return { cpuMs: after.backendsCpuMs.size === 0 ? null : total, checkpoints: after.checkpoints - before.checkpoints };
}

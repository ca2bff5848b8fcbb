// A 1M-line NDJSON import through the server, with the server's RSS growth.
import { sql } from "drizzle-orm";
import { timed } from "../lib/api";
import { countOf } from "../lib/checks";
import { fleet } from "../lib/fleet";
import { importFleet } from "../lib/import";
import { peakRssDuring, rssMb } from "../lib/proc";
import { fmt } from "../lib/stats";
import type { Row } from "../lib/table";
import type { BenchContext } from "./context";

export async function importRow(ctx: BenchContext): Promise<Row> {
  // A region no release targets: the import measures the import, not late joiners.
  const f = fleet("MP", ctx.big.size);
  const before = rssMb(ctx.app.pid);
  const { result, peakMb } = await peakRssDuring(ctx.app.pid, () => timed(() => importFleet(ctx.app.url, f)));
  const stored = await countOf(ctx.db, sql`select count(*)::int as n from vehicles where region = ${f.region}`);
  ctx.checks.push({
    name: "import stored every line it answered",
    ok: stored === f.size && result.result.imported === f.size,
    detail: `${fmt(result.result.imported)} answered imported, ${fmt(stored)} stored, ${fmt(result.result.rejected)} rejected`,
  });
  const seconds = result.ms / 1000;
  const growth = peakMb - before;
  return {
    path: `import ${fmt(f.size)} NDJSON lines (s, server RSS growth)`,
    ceiling: "—",
    figure: `${fmt(seconds, 1)} s, +${fmt(growth)} MB RSS (${fmt(before)} → peak ${fmt(peakMb)} MB)`,
    ratio: "—",
    target: "≤ 20 s, ≤ 200 MB growth",
    met: seconds <= 20 && growth <= 200,
  };
}

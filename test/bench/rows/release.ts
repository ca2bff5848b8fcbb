// Start, re-plan and advance on the big fleet (and re-plan on 10k for the ratio).
import { type Api, ok, timed } from "../lib/api";
import { countersExact } from "../lib/checks";
import type { Db } from "../../../src/db/client";
import type { Fleet } from "../lib/fleet";
import { fmt, median } from "../lib/stats";
import type { Row } from "../lib/table";
import type { Check } from "../lib/checks";

// Canary 1% at once, then everyone at once on `advance`: the 990k of the issue.
const plan = (last: string) => ({ waves: [{ name: "canary", share: 1 }, { name: last, share: 100 }] });

export async function createRelease(api: Api, version: string, f: Fleet): Promise<string> {
  const created = await ok(api("POST", "/v1/releases", { version, channel: "stable", eligibility: { regions: [f.region] } }), "create release");
  const planned = await ok(api("PUT", `/v1/releases/${version}/waves`, plan("all"), { "if-match": created.headers.get("etag")! }), "plan waves");
  return planned.headers.get("etag")!;
}

export async function startRow(api: Api, version: string, f: Fleet): Promise<{ row: Row; etag: string }> {
  const etag = await createRelease(api, version, f);
  const { result, ms } = await timed(() => ok(api("POST", `/v1/releases/${version}/start`), "start"));
  const body = (await result.json()) as { total: number };
  if (body.total !== f.size) throw new Error(`start queued ${body.total} of ${f.size}`);
  return {
    etag: result.headers.get("etag") ?? etag,
    row: { path: `start of a ${fmt(f.size)} release`, ceiling: "—", figure: `${fmt(ms / 1000, 2)} s`, ratio: "—", target: "≤ 6 s", met: ms <= 6000 },
  };
}

/** Re-plans alternate between the two releases so both see the same machine; the plan itself changes a name only. */
export async function replanRow(api: Api, big: { version: string; etag: string; size: number }, small: { version: string; etag: string; size: number }, rounds: number): Promise<Row> {
  const times: Record<string, number[]> = { big: [], small: [] };
  const etags: Record<string, string> = { big: big.etag, small: small.etag };
  const versions: Record<string, string> = { big: big.version, small: small.version };
  const runs = Math.max(5, rounds * 2);
  for (let i = 0; i < runs; i++) {
    for (const side of ["big", "small"] as const) {
      const { result, ms } = await timed(() =>
        ok(api("PUT", `/v1/releases/${versions[side]}/waves`, plan(i % 2 ? "all" : "rest"), { "if-match": etags[side]! }), `re-plan ${side}`),
      );
      etags[side] = result.headers.get("etag")!;
      await result.arrayBuffer();
      times[side]!.push(ms);
    }
  }
  // Leave both plans as created ("all"), whatever the number of runs.
  for (const side of ["big", "small"] as const) {
    if (runs % 2 === 1) {
      const r = await ok(api("PUT", `/v1/releases/${versions[side]}/waves`, plan("all"), { "if-match": etags[side]! }), "re-plan back");
      etags[side] = r.headers.get("etag")!;
    }
  }
  const b = median(times.big!);
  const s = median(times.small!);
  return {
    path: `\`PUT …/waves\` on ${fmt(big.size)} vs on ${fmt(small.size)} (ms, median of ${runs})`,
    ceiling: `${fmt(s, 1)} ms (${fmt(small.size)})`,
    figure: `${fmt(b, 1)} ms`,
    ratio: fmt(b / s, 2),
    target: "ratio ≤ 1.5, ≤ 20 ms",
    met: b / s <= 1.5 && b <= 20,
  };
}

export async function advanceRow(api: Api, db: Db, version: string, checks: Check[]): Promise<Row> {
  const before = (await (await ok(api("GET", `/v1/releases/${version}`), "read release")).json()) as { offeredThrough: number; total: number };
  const { ms } = await timed(() => ok(api("POST", `/v1/releases/${version}/advance`), "advance"));
  const after = (await (await ok(api("GET", `/v1/releases/${version}`), "read release")).json()) as { offeredThrough: number; total: number };
  const offered = after.offeredThrough - before.offeredThrough;
  checks.push({ name: "advance offered the rest at once", ok: after.offeredThrough === after.total, detail: `${fmt(offered)} offered, through ${fmt(after.offeredThrough)} of ${fmt(after.total)}` });
  checks.push(await countersExact(db, version, "advance"));
  return { path: `\`advance\` offering the remaining ${fmt(offered)} at once`, ceiling: "—", figure: `${fmt(ms / 1000, 2)} s`, ratio: "—", target: "≤ 5 s", met: ms <= 5000 };
}

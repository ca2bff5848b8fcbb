// Where a server's CPU time went, from a V8 CPU profile (`node --cpu-prof`):
// self time grouped by who owns the code (our src/, each npm package, each of
// Node's own modules, V8's garbage collector, native code), then the busiest
// functions. The bench's notes quote these tables for the rows it cannot meet.
//   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx src/server.ts   (then load it, then stop it)
//   PROFILE_SKIP_MS=5000 npx tsx test/bench/profile-summary.ts /tmp/prof/*.cpuprofile [top]
// (PROFILE_SKIP_MS leaves out the start-up and warm-up before the load that is to be read.)
import { readFileSync } from "node:fs";

type CallFrame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame };
export type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

/** Who owns a function: "ours src/…", an npm package, a Node module, or V8's own bookkeeping. */
export function ownerOf({ functionName, url }: CallFrame): string {
  if (!url) return /^\(.*\)$/.test(functionName) ? functionName : `native ${functionName || "(anonymous)"}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1] ?? url;
  const own = /\/(src\/.*)$/.exec(url);
  if (own) return `ours ${own[1]}`;
  if (url.startsWith("node:")) return url;
  return url;
}

/** Self time in ms per key, from the samples and their time deltas (µs), leaving out the first `skipMs` (start-up). */
function selfTimes(profile: CpuProfile, keyOf: (frame: CallFrame) => string, skipMs: number): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const totals = new Map<string, number>();
  let elapsedMs = 0;
  profile.samples.forEach((id, i) => {
    elapsedMs += (profile.timeDeltas[i] ?? 0) / 1000;
    const frame = byId.get(id);
    if (!frame || elapsedMs < skipMs) return;
    const key = keyOf(frame);
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return totals;
}

/** Markdown tables: busy time (idle left out) by owner, then by function. */
export function summary(profile: CpuProfile, top = 20, skipMs = 0): string {
  const owners = selfTimes(profile, ownerOf, skipMs);
  owners.delete("(idle)");
  const busy = [...owners.values()].reduce((a, b) => a + b, 0);
  const share = (ms: number) => `${((100 * ms) / busy).toFixed(1)}%`;
  const rows = (totals: Map<string, number>) =>
    [...totals]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([key, ms]) => `| ${key} | ${ms.toFixed(0)} | ${share(ms)} |`);
  const functions = selfTimes(profile, (f) => `${f.functionName || "(anonymous)"} ${ownerOf(f)}${f.url ? `:${f.lineNumber + 1}` : ""}`, skipMs);
  functions.delete("(idle) (idle)");
  // Our own code summed over every file, so the table answers "how much is the product's".
  const ours = [...owners].filter(([key]) => key.startsWith("ours ")).reduce((a, [, ms]) => a + ms, 0);
  return [
    `Busy ${busy.toFixed(0)} ms; our own code (src/) ${share(ours)} of it.`,
    "",
    "| owner | self ms | of busy |",
    "|---|---|---|",
    ...rows(owners),
    "",
    "| function | self ms | of busy |",
    "|---|---|---|",
    ...rows(functions),
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const top = /^\d+$/.test(args.at(-1) ?? "") ? Number(args.pop()) : 20;
  if (args.length === 0) {
    console.error("usage: tsx test/bench/profile-summary.ts <file.cpuprofile>… [top]");
    process.exit(2);
  }
  // Node writes one file per thread (tsx's loader has one): each is summed up on its own.
  for (const file of args) console.log(`### ${file}\n\n${summary(JSON.parse(readFileSync(file, "utf8")) as CpuProfile, top, Number(process.env.PROFILE_SKIP_MS ?? 0))}\n`);
}

// Runs wrk on the load core with wrk/bench.lua and reads back its BENCH_JSON line.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { hasTool, loadCore } from "./proc";

const run = promisify(execFile);
const script = fileURLToPath(new URL("../wrk/bench.lua", import.meta.url));

export type WrkResult = {
  requests: number;
  durationUs: number;
  p50Us: number;
  p99Us: number;
  socketErrors: number;
  timeouts: number;
  status5xx: number;
  status4xx: number;
  /** Requests per second. */
  rate: number;
};

export function requireWrk() {
  if (!hasTool("wrk")) {
    throw new Error("wrk is not installed. On Debian: sudo apt-get update && sudo apt-get install -y wrk (https://github.com/wg/wrk)");
  }
  if (!hasTool("taskset")) throw new Error("taskset is missing (Debian package util-linux)");
}

export async function wrk(options: { url: string; connections: number; seconds: number; args: string[] }): Promise<WrkResult> {
  const { stdout } = await run(
    "taskset",
    ["-c", loadCore, "wrk", "-t1", `-c${options.connections}`, `-d${options.seconds}s`, "--timeout", "10s", "-s", script, options.url, "--", ...options.args],
    { maxBuffer: 1 << 20 },
  );
  const line = stdout.split("\n").find((l) => l.startsWith("BENCH_JSON "));
  if (!line) throw new Error(`wrk printed no result:\n${stdout}`);
  const parsed = JSON.parse(line.slice("BENCH_JSON ".length)) as Omit<WrkResult, "rate">;
  return { ...parsed, rate: parsed.requests / (parsed.durationUs / 1e6) };
}

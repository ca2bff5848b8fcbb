// Child processes of the bench: the servers (pinned to core 0), their CPU time
// and memory from /proc, and the tools the bench needs on PATH.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";

export const serverCore = "0";
export const loadCore = "1";

export function hasTool(name: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Pins this process (and so the load it generates in-process) to the load core. */
export function pinSelf() {
  execFileSync("taskset", ["-cp", loadCore, String(process.pid)], { stdio: "ignore" });
}

/** The first port from `from` on that nothing listens on (other engineers' tests share this machine). */
export async function freePort(from: number, span = 16): Promise<number> {
  for (let port = from; port < from + span; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer()
        .once("error", () => resolve(false))
        .listen(port, () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port in ${from}..${from + span - 1}`);
}

export type Server = { url: string; pid: number; child: ChildProcess; log: () => string; stop: () => Promise<void> };

/** Starts `node --import tsx <script>` on the server core and waits for its "Health:" line. */
export async function startServer(
  script: string,
  options: { port: number; env?: Record<string, string>; args?: (port: number) => string[]; nodeFlags?: string[] },
): Promise<Server> {
  const port = await freePort(options.port);
  const child = spawn("taskset", ["-c", serverCore, process.execPath, ...(options.nodeFlags ?? []), "--import", "tsx", script, ...(options.args?.(port) ?? [])], {
    env: { ...process.env, ...options.env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      // Keep the log bounded: a server that logs every request must not fill the bench's memory.
      if (output.length > 200_000) output = output.slice(-100_000);
      if (output.includes("Health:")) resolve();
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`${script} exited (${code}) before it served:\n${output}`)));
    setTimeout(() => reject(new Error(`${script} did not serve within 120 s:\n${output}`)), 120_000).unref();
  });
  await ready;
  // taskset execs node in place, so this pid is the server's own.
  const pid = child.pid!;
  return {
    url: `http://127.0.0.1:${port}`,
    pid,
    child,
    log: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
      }),
  };
}

const ticksPerSecond = 100; // USER_HZ on Linux

/** CPU time (user + system) the process has used, in ms. */
export function cpuMs(pid: number): number {
  // Fields after the command name (which may hold spaces): utime is the 14th field, stime the 15th.
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

/** Resident memory of the process, in MB. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

/** Samples the RSS every 100 ms while `work` runs: the peak is what a run really needed. */
export async function peakRssDuring<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peakMb = rssMb(pid);
  const timer = setInterval(() => {
    try {
      peakMb = Math.max(peakMb, rssMb(pid));
    } catch {
      // The process may be gone; the run itself reports that.
    }
  }, 100);
  try {
    return { result: await work(), peakMb };
  } finally {
    clearInterval(timer);
  }
}

export function machineLoad(): string {
  return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
}

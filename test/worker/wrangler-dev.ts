import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../helpers/node-server";

export { freePort };

export type WranglerDev = { base: string; output: () => string; stop: () => Promise<void> };

/**
 * Runs `wrangler dev` (workerd, the Workers runtime) as a child process.
 * A child rather than wrangler's programmatic API: it is exactly what
 * `npm run dev:worker` does, and @cloudflare/vitest-pool-workers needs newer
 * Node and wrangler than the pinned 4.85.
 */
export async function startWranglerDev(options: { hyperdriveUrl: string; vars: Record<string, string> }): Promise<WranglerDev> {
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const scratch = mkdtempSync(join(tmpdir(), "rollout-wrangler-"));
  const wrangler = createRequire(import.meta.url).resolve("wrangler/bin/wrangler.js");
  const args = [wrangler, "dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspectorPort)];
  // --test-scheduled: /__scheduled runs the cron handler now (see wrangler.toml for why not /cdn-cgi/handler/scheduled).
  args.push("--test-scheduled", "--persist-to", join(scratch, "state"), "--show-interactive-dev-session=false");
  for (const [name, value] of Object.entries(options.vars)) args.push("--var", `${name}:${value}`);

  const child: ChildProcess = spawn(process.execPath, args, {
    env: {
      ...process.env,
      CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: options.hyperdriveUrl,
      // No network here: skip fetching the Request.cf template and telemetry.
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      WRANGLER_SEND_METRICS: "false",
      WRANGLER_LOG_PATH: join(scratch, "logs"),
      FORCE_COLOR: "0",
    },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so stopping it also stops the workerd it spawned.
    detached: true,
  });
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.pid) process.kill(-child.pid, "SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    if (child.exitCode === null && child.pid) process.kill(-child.pid, "SIGKILL");
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`wrangler dev did not start:\n${output}`)), 60_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes(`Ready on http://127.0.0.1:${port}`)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`wrangler dev exited with ${code}:\n${output}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { base: `http://127.0.0.1:${port}`, output: () => output, stop };
}

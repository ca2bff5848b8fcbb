import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, test } from "vitest";

// What `wrangler deploy` would upload, built without uploading. PGlite, the
// file system and the Node entry must never reach it: they would not run in
// workerd, or would only bloat every cold start.

const out = mkdtempSync(join(tmpdir(), "rollout-bundle-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("the Worker bundle", () => {
  test("builds with wrangler deploy --dry-run and holds no Node-only code", async () => {
    const wrangler = createRequire(import.meta.url).resolve("wrangler/bin/wrangler.js");
    await promisify(execFile)(process.execPath, [wrangler, "deploy", "--dry-run", "--outdir", out], {
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_LOG_PATH: join(out, "logs"), FORCE_COLOR: "0" },
    });
    const bundle = readFileSync(join(out, "worker.js"));
    const sources = (JSON.parse(readFileSync(join(out, "worker.js.map"), "utf8")) as { sources: string[] }).sources;
    expect(sources.filter((s) => /@electric-sql\/pglite|\/src\/node\/|\/src\/server\.ts|@hono\/node-server/.test(s))).toEqual([]);
    // postgres.js's Workers build needs buffer, events and stream through nodejs_compat, and
    // hashing uses node:crypto (30× faster than crypto.subtle.digest); nothing else from Node.
    const nodeModules = new Set([...bundle.toString().matchAll(/from "(node:[\w/]+)"/g)].map((m) => m[1]));
    expect([...nodeModules].sort()).toEqual(["node:buffer", "node:crypto", "node:events", "node:stream"]);
    // Workers Free refuses scripts over 3 MB compressed.
    expect(gzipSync(bundle).length).toBeLessThan(3_000_000);
  }, 60_000);
});

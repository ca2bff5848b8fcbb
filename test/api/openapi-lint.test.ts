import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";
import { backends } from "../helpers/backends";
import { withApp } from "../helpers/app";

type LintReport = { totals: { errors: number; warnings: number }; problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[] };

// The redocly binary from devDependencies (bundled, no downloads), not `npx`, so CI runs it offline.
const redocly = join(import.meta.dirname, "../../node_modules/@redocly/cli/bin/cli.js");

describe.each(backends.slice(0, 1))("the OpenAPI document ($name)", (backend) => {
  test("passes redocly lint (recommended rules) with no errors and no warnings", () =>
    withApp(backend, async ({ request }) => {
      const doc = await (await request("GET", "/openapi.json", { token: null })).text();
      const dir = await mkdtemp(join(tmpdir(), "openapi-lint-"));
      try {
        await writeFile(join(dir, "openapi.json"), doc);
        // lint exits 1 on errors; the JSON report on stdout is what we assert on.
        const { stdout } = await promisify(execFile)(process.execPath, [redocly, "lint", "openapi.json", "--format=json"], {
          cwd: dir,
          env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
        }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }));
        const report = JSON.parse(stdout) as LintReport;
        const found = report.problems.map((p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
        expect(found).toEqual([]);
        expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      // `servers` comes from PUBLIC_URL; redocly (rightly) flags example.com there.
    }, { config: { publicUrl: "https://rollout.acme-motors.test" } }), 60_000);
});

import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { build } from "esbuild";
import { describe, expect, test } from "vitest";

// The pages read the API through types taken from its zod schemas
// (`import type … from "../../src/routes/…"`). A shape copied by hand into web/
// would compile against itself and drift from the server unnoticed, as the
// console's re-plan preview once did; these checks keep the copies out and
// the server's code out of the bundle.

const root = join(import.meta.dirname, "..", "..");
const filesUnder = (dir: string, ext: RegExp): string[] =>
  readdirSync(join(root, dir), { recursive: true, encoding: "utf8" })
    .filter((file) => ext.test(file))
    .map((file) => join(dir, file));

/** The API's resource names: every type the route modules export and every OpenAPI component. */
function apiResourceNames(): Set<string> {
  // Re-exported (`export type { … }`) rather than declared, or named in the issue.
  const names = new Set(["TrackStatus", "ImportLineResult", "ImportSummary"]);
  for (const file of filesUnder("src/routes", /\.ts$/)) {
    const text = readFileSync(join(root, file), "utf8");
    for (const [, name] of text.matchAll(/export type (\w+)\s*=/g)) if (!name!.endsWith("Route")) names.add(name!);
    for (const [, name] of text.matchAll(/\.openapi\("(\w+)"/g)) names.add(name!);
  }
  return names;
}

/** `type Name = {…}`, `type Name = "a" | …` or `interface Name` in a web/ source: a shape written by hand. */
function handWrittenApiTypes(source: string, names: Set<string>): string[] {
  const declared = [...source.matchAll(/\b(?:type\s+(\w+)\s*(?:<[^=]*>)?\s*=\s*[{"']|interface\s+(\w+)\b)/g)].map((m) => (m[1] ?? m[2])!);
  return declared.filter((name) => names.has(name));
}

describe("web/ and the API's types", () => {
  test("the guard recognizes a copied shape (so a pass below means something)", () => {
    const names = apiResourceNames();
    expect([...names]).toEqual(expect.arrayContaining(["Release", "Progress", "QueuePage", "VehicleDetail", "AuditPage", "ReplanPreview", "Problem"]));
    expect(handWrittenApiTypes("export type Progress = {\n  total: number;\n};", names)).toEqual(["Progress"]);
    expect(handWrittenApiTypes("interface VehicleDetail { vin: string }", names)).toEqual(["VehicleDetail"]);
    expect(handWrittenApiTypes('export type UpdateState = "queued" | "offered";', names)).toEqual(["UpdateState"]);
    expect(handWrittenApiTypes('export type { Progress } from "../../src/routes/rollout/rollout.schemas";', names)).toEqual([]);
  });

  test("no file in web/ declares an API shape by hand", () => {
    const names = apiResourceNames();
    const copies = filesUnder("web", /\.ts$/).flatMap((file) =>
      handWrittenApiTypes(readFileSync(join(root, file), "utf8"), names).map((name) => `${file}: ${name}`),
    );
    expect(copies).toEqual([]);
  });

  // Pure rules in src/domain (no HTTP, no SQL) may be shared with the pages, e.g.
  // language negotiation, so server and page pick a reader's language alike.
  const sharedDomain = ["src/domain/locale-negotiation.ts", "src/domain/localized-text.ts"];

  test("the pages' bundle holds no server code: the schema imports are types only", async () => {
    const result = await build({
      absWorkingDir: root,
      entryPoints: ["web/owner.ts", "web/console.ts"],
      bundle: true,
      splitting: true,
      format: "esm",
      outdir: "out",
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    const inputs = Object.keys(result.metafile.inputs).map((file) => relative(root, join(root, file)));
    // The browser libraries the pages use: charts, and the audit log's field-by-field diff.
    const browserLibraries = ["node_modules/chart.js", "node_modules/@kurkle", "node_modules/microdiff"];
    expect(inputs.filter((file) => !file.startsWith("web/") && !browserLibraries.some((lib) => file.startsWith(lib)) && !sharedDomain.includes(file))).toEqual([]);
  });
});

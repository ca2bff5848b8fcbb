import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";

// Issue #10: one layout for every resource folder, so a reader finds a route,
// its handler and its wiring in the same place whichever resource it is.
const routesDir = join(import.meta.dirname, "../../src/routes");
const folders = readdirSync(routesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);
const read = (folder: string, kind: string) => readFileSync(join(routesDir, folder, `${folder}.${kind}.ts`), "utf8");

describe.each(folders)("src/routes/%s", (folder) => {
  test("has its routes, handlers and index", () => {
    const files = readdirSync(join(routesDir, folder));
    expect(files).toEqual(expect.arrayContaining([`${folder}.routes.ts`, `${folder}.handlers.ts`, `${folder}.index.ts`]));
  });

  test("defines routes only in *.routes.ts, each with its XRoute type", () => {
    const routes = read(folder, "routes");
    const defined = [...routes.matchAll(/^export const (\w+) = createRoute/gm)].map((m) => m[1]);
    expect(defined.length).toBeGreaterThan(0);
    for (const name of defined) expect(routes).toMatch(new RegExp(`^export type \\w+Route = typeof ${name};$`, "m"));
    for (const kind of ["handlers", "index"]) expect(read(folder, kind)).not.toContain("createRoute(");
  });

  test("keeps handlers out of the index, which only wires a route to its handler", () => {
    const index = read(folder, "index");
    const wired = [...index.matchAll(/\.openapi\(/g)].length;
    expect(wired).toBeGreaterThan(0);
    expect([...index.matchAll(/\.openapi\(routes\.\w+, handlers\.\w+\b/g)].length).toBe(wired);
    expect(read(folder, "handlers")).toContain("AppRouteHandler<");
  });

  test("names its schema components in *.schemas.ts, not in *.routes.ts", () => {
    expect(read(folder, "routes")).not.toMatch(/\.openapi\("\w+"\)/);
  });
});

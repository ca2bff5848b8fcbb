// Builds what the server and Workers serve as static files into dist/web:
// the pages at the root (index.html, console.html) and everything they load
// under assets/. Run by `npm start` and `npm test` (and before `wrangler deploy`).
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "dist", "web");
const assets = join(out, "assets");
const require = createRequire(import.meta.url);

// Stale chunks from earlier builds would otherwise pile up; swagger is re-copied below.
rmSync(assets, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });

await build({
  entryPoints: {
    owner: join(here, "owner.ts"),
    console: join(here, "console.ts"),
    releases: join(here, "releases.ts"),
    "owner-style": join(here, "styles", "owner.css"),
    "console-style": join(here, "styles", "console.css"),
    "releases-style": join(here, "styles", "releases.css"),
  },
  outdir: assets,
  bundle: true,
  // Both pages use chart.js: splitting lets the browser cache it once.
  splitting: true,
  format: "esm",
  target: "es2020",
  minify: true,
  sourcemap: "linked",
  chunkNames: "chunks/[name]-[hash]",
  legalComments: "linked",
  logLevel: "warning",
});

// Pages at the root; _headers gives them their security headers on Workers static assets.
for (const file of ["index.html", "console.html", "releases.html", "_headers"]) cpSync(join(here, file), join(out, file));
cpSync(join(here, "favicon.svg"), join(assets, "favicon.svg"));

// Interactive API docs (/docs) load Swagger UI from here, never from a CDN.
const swaggerDir = dirname(require.resolve("swagger-ui-dist/package.json"));
const swaggerOut = join(assets, "swagger-ui-dist");
mkdirSync(swaggerOut, { recursive: true });
for (const file of ["swagger-ui.css", "swagger-ui-bundle.js"]) cpSync(join(swaggerDir, file), join(swaggerOut, file));

// The service worker lives at the root: its scope is the folder it is served from, and it must cover /t/{code}.
await build({
  entryPoints: [join(here, "service-worker.ts")],
  outfile: join(out, "service-worker.js"),
  bundle: true,
  // Registered as a classic script: module workers are still missing in some browsers.
  format: "iife",
  target: "es2020",
  minify: true,
  logLevel: "warning",
});

console.log(`web: built into ${out}`);

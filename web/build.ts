// Builds what the server and Workers serve as static files into dist/web:
// the pages at the root (index.html, console.html, offline.html), the service
// worker at /service-worker.js (its scope must be the whole site), and what the
// pages load under assets/. Run by `npm start` and `npm test` (and before `wrangler deploy`).
//
// Scripts and styles get content hashes in their names so browsers may keep
// them a year (web/_headers, src/node/static-files.ts); the pages are rewritten
// to those names and are themselves always revalidated. Every text file also
// gets .br and .gz siblings, which the Node server sends by Accept-Encoding
// (Workers static assets compress on their own).
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { createHash } from "node:crypto";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "dist", "web");
const assets = join(out, "assets");
const require = createRequire(import.meta.url);

// Stale chunks from earlier builds would otherwise pile up; swagger is re-copied below.
rmSync(out, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });

const pages = await build({
  entryPoints: {
    owner: join(here, "owner.ts"),
    console: join(here, "console.ts"),
    releases: join(here, "releases.ts"),
    offline: join(here, "offline.ts"),
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
  entryNames: "[name]-[hash]",
  chunkNames: "chunks/[name]-[hash]",
  legalComments: "linked",
  metafile: true,
  logLevel: "warning",
});

/** The public path (/assets/owner-AB12CD34.js) of each entry, by its unhashed name (owner.js). */
const hashed = new Map<string, string>();
for (const [file, output] of Object.entries(pages.metafile.outputs)) {
  if (!output.entryPoint) continue;
  const name = basename(file).replace(/-[A-Z0-9]{8}(\.\w+)$/, "$1");
  hashed.set(name, `/${relative(out, file).split("\\").join("/")}`);
}

// The icon is used by every page and the offline page: hashed like the rest.
const favicon = readFileSync(join(here, "favicon.svg"));
const faviconName = `favicon-${contentHash(favicon)}.svg`;
writeFileSync(join(assets, faviconName), favicon);
hashed.set("favicon.svg", `/assets/${faviconName}`);

/** The page with every /assets/<name> reference pointing at its hashed file. */
function rewritten(html: string): string {
  return html.replace(/\/assets\/([\w.-]+)/g, (ref, name: string) => {
    const target = hashed.get(name);
    if (!target) throw new Error(`web/build: a page refers to /assets/${name}, which the build does not produce`);
    return target;
  });
}
for (const page of ["index.html", "console.html", "releases.html", "offline.html"]) {
  writeFileSync(join(out, page), rewritten(readFileSync(join(here, page), "utf8")));
}
// _headers gives the pages their security headers and the hashed files their lifetime on Workers static assets.
for (const file of ["_headers", ".assetsignore"]) cpSync(join(here, file), join(out, file));

// The service worker precaches what the offline page needs; a new build is a new cache.
// The offline script's shared chunks (it borrows the owner page's translations) come along.
const offlineScript = Object.entries(pages.metafile.outputs).find(([, output]) => output.entryPoint?.endsWith("offline.ts"));
const offlineChunks = (offlineScript?.[1].imports ?? []).filter((i) => i.kind === "import-statement").map((i) => `/${relative(out, i.path).split("\\").join("/")}`);
const precache = ["/offline", ...["offline.js", "owner-style.css", "favicon.svg"].map((name) => hashed.get(name) ?? ""), ...offlineChunks];
await build({
  entryPoints: { "service-worker": join(here, "service-worker.ts") },
  outdir: out,
  bundle: true,
  format: "iife",
  target: "es2020",
  minify: true,
  define: { __PRECACHE__: JSON.stringify(precache), __BUILD__: JSON.stringify(contentHash(Buffer.from(precache.join()))) },
  logLevel: "warning",
});

// Interactive API docs (/docs) load Swagger UI from here, never from a CDN.
const swaggerDir = dirname(require.resolve("swagger-ui-dist/package.json"));
const swaggerOut = join(assets, "swagger-ui-dist");
mkdirSync(swaggerOut, { recursive: true });
for (const file of ["swagger-ui.css", "swagger-ui-bundle.js"]) cpSync(join(swaggerDir, file), join(swaggerOut, file));

// Compressed once here rather than on every request. Brotli's best level costs
// seconds per megabyte, so the one large file (Swagger UI, /docs only) gets a
// quicker level; source maps are only ever fetched by developer tools.
const textFile = /\.(js|css|html|svg|json|txt)$/;
for (const file of filesUnder(out)) {
  if (!textFile.test(file)) continue;
  const body = readFileSync(file);
  const quality = body.length > 500_000 ? 5 : constants.BROTLI_MAX_QUALITY;
  writeFileSync(`${file}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }));
  writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
}

console.log(`web: built into ${out}`);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function contentHash(body: Buffer): string {
  return createHash("sha256").update(body).digest("hex").slice(0, 8).toUpperCase();
}

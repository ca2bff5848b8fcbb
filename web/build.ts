// Builds what the server and Workers serve as static files into dist/web.
// Run by `npm start` and `npm test` (and before `wrangler deploy`).
import { cpSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "dist", "web");
const require = createRequire(import.meta.url);

// Interactive API docs (/docs) load Swagger UI from here, never from a CDN.
const swaggerDir = dirname(require.resolve("swagger-ui-dist/package.json"));
const swaggerOut = join(out, "assets", "swagger-ui-dist");
mkdirSync(swaggerOut, { recursive: true });
for (const file of ["swagger-ui.css", "swagger-ui-bundle.js"]) cpSync(join(swaggerDir, file), join(swaggerOut, file));

console.log(`web: built into ${out}`);

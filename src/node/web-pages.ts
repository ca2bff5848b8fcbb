// The web pages and their files on the Node server, built by web/build.ts into
// dist/web (Workers serve the same folder as static assets, with web/_headers).
import type { Context, Hono, MiddlewareHandler } from "hono";
import { serveStatic } from "@hono/node-server/serve-static";
import { readFile } from "node:fs/promises";
import { negotiateLocale } from "../domain/locale-negotiation";
import type { AppEnv } from "../lib/env";

const root = "./dist/web";

// Same-origin everything: the console holds an API key, and owner pages hold a private code.
const pageCsp =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/** A name with the build's content hash (owner-AB12CD34.js) never changes content: keep it a year. */
const hashedName = /-[A-Z0-9]{8}\.[a-z]+(\.map|\.LEGAL\.txt)?$/;
export const immutable = "public, max-age=31536000, immutable";

/**
 * /assets/* from the build, precompressed (.br, .gz beside each text file),
 * hashed names cached for good and everything else revalidated.
 */
function assetFiles(): MiddlewareHandler<AppEnv> {
  const files = serveStatic<AppEnv>({
    root,
    precompressed: true,
    // A missing file must not answer 404 with a year-long lifetime.
    onNotFound: (_path, c) => {
      c.header("Cache-Control", undefined);
    },
  });
  return async (c, next) => {
    c.header("Cache-Control", hashedName.test(c.req.path) ? immutable : "no-cache");
    return files(c, next);
  };
}

export function serveWebPages(app: Hono<AppEnv>): void {
  app.use("/assets/*", assetFiles());
  // At the root, so that its scope is the whole site; revalidated so a new build reaches readers at once.
  app.get(
    "/service-worker.js",
    async (c, next) => {
      c.header("Cache-Control", "no-cache");
      await next();
    },
    serveStatic({ root, path: "service-worker.js", precompressed: true }),
  );
  // The pages: shells their scripts fill in. The owner page starts in the reader's language.
  app.get("/", (c) => servePage(c, "index.html"));
  app.get("/t/:code", (c) => servePage(c, "index.html"));
  app.get("/console", (c) => servePage(c, "console.html"));
  app.get("/releases", (c) => servePage(c, "releases.html"));
  // What the service worker shows when the server cannot be reached (precached, never visited directly).
  app.get("/offline", (c) => servePage(c, "offline.html"));
}

async function servePage(c: Context, file: string) {
  const html = await readFile(`${root}/${file}`, "utf8");
  const locale = negotiateLocale(c.req.header("accept-language") ?? "");
  c.header("Vary", "Accept-Language");
  c.header("Cache-Control", "no-cache");
  c.header("Content-Security-Policy", pageCsp);
  return c.html(html.replace('<html lang="en">', `<html lang="${locale}" data-negotiated="${locale}">`));
}

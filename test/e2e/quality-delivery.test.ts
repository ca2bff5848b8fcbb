// How the Node server delivers the pages' files: compressed by the reader's
// Accept-Encoding, hashed names kept a year, pages and the service worker
// always revalidated. Workers get the same lifetimes from web/_headers.
import { readFileSync } from "node:fs";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Server, startServer } from "./server";

const immutable = "public, max-age=31536000, immutable";

describe("web files on the Node server", () => {
  let server: Server;
  beforeAll(async () => {
    server = await startServer();
  }, 120_000);
  afterAll(() => server?.stop());

  // undici's fetch decodes bodies; the raw bytes come through node's own decoders below.
  const get = async (path: string, acceptEncoding: string) => {
    const res = await fetch(`${server.base}${path}`, { headers: { "accept-encoding": acceptEncoding } });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text };
  };
  const rawSize = async (path: string, acceptEncoding: string) => {
    const { request } = await import("node:http");
    return new Promise<{ encoding: string | undefined; bytes: Buffer }>((resolve, reject) => {
      request(`${server.base}${path}`, { headers: { "accept-encoding": acceptEncoding } }, (res) => {
        const parts: Buffer[] = [];
        res.on("data", (part: Buffer) => parts.push(part));
        res.on("end", () => resolve({ encoding: res.headers["content-encoding"], bytes: Buffer.concat(parts) }));
      })
        .on("error", reject)
        .end();
    });
  };
  /** Every file a page loads: its stylesheets, scripts, icon and the chunks its scripts import. */
  const filesOf = async (page: string) => {
    const html = (await get(page, "identity")).text;
    const direct = [...html.matchAll(/(?:href|src)="(\/assets\/[^"#]+)/g)].map((m) => m[1] ?? "");
    const chunks = new Set<string>();
    for (const script of direct.filter((f) => f.endsWith(".js"))) {
      for (const m of (await get(script, "identity")).text.matchAll(/chunks\/chunk-[A-Z0-9]+\.js/g)) chunks.add(`/assets/${m[0]}`);
    }
    return [...new Set(direct), ...chunks];
  };

  test("pages are gzipped for browsers that accept it and always revalidated", async () => {
    for (const page of ["/", "/t/ABCDEFGHJKLMNPQR", "/console"]) {
      const res = await get(page, "gzip, deflate, br");
      expect(res.status).toBe(200);
      expect(res.headers.get("content-encoding")).toBe("gzip");
      expect(res.headers.get("cache-control")).toBe("no-cache");
      expect(res.headers.get("vary")).toMatch(/Accept-Encoding/i);
    }
  });

  test("scripts, styles and the icon have hashed names, a year-long lifetime and come brotli or gzip encoded", async () => {
    const files = [...(await filesOf("/")), ...(await filesOf("/console"))];
    expect(files.filter((f) => f.endsWith(".js")).length).toBeGreaterThanOrEqual(3);
    for (const file of files) {
      expect(file, "name carries a content hash").toMatch(/-[A-Z0-9]{8}\.(js|css|svg)$/);
      const plain = await rawSize(file, "identity");
      expect(plain.encoding).toBeUndefined();
      const br = await rawSize(file, "gzip, deflate, br");
      const gz = await rawSize(file, "gzip");
      expect([br.encoding, gz.encoding]).toEqual(["br", "gzip"]);
      expect(brotliDecompressSync(br.bytes).equals(plain.bytes)).toBe(true);
      expect(gunzipSync(gz.bytes).equals(plain.bytes)).toBe(true);
      const res = await get(file, "br");
      expect(res.headers.get("cache-control")).toBe(immutable);
      expect(res.headers.get("vary")).toMatch(/Accept-Encoding/i);
    }
    // The chart chunk (chart.js) is by far the largest: sent compressed, it is a fraction of its size.
    const sizes = await Promise.all(files.map(async (f) => ({ plain: (await rawSize(f, "identity")).bytes.length, br: (await rawSize(f, "br")).bytes.length })));
    const largest = sizes.sort((a, b) => b.plain - a.plain)[0];
    expect(largest?.plain).toBeGreaterThan(100_000);
    expect(largest?.br).toBeLessThan((largest?.plain ?? 0) / 3);
  });

  test("the OpenAPI document is gzipped; /v1 answers are left whole (a re-plan's If-Match needs their strong ETag); a missing asset is not cached for a year", async () => {
    const spec = await get("/openapi.json", "gzip, deflate, br");
    expect(spec.headers.get("content-encoding")).toBe("gzip");
    expect(JSON.parse(spec.text)).toHaveProperty("openapi");
    const api = await get("/v1/track/NOSUCHCODE0123456789", "gzip, deflate, br");
    expect(api.headers.get("content-type")).toMatch(/json/);
    expect(api.headers.get("content-encoding")).toBeNull();
    const missing = await get("/assets/owner-ZZZZZZZZ.js", "br");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("cache-control")).not.toBe(immutable);
  });

  test("the service worker is served at the root and always revalidated", async () => {
    const res = await get("/service-worker.js", "br");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/javascript/);
    expect(res.headers.get("cache-control")).toBe("no-cache");
  });

  test("on Workers static assets, web/_headers keeps hashed files a year and revalidates the rest", () => {
    const rules = new Map<string, string[]>();
    let current = "";
    for (const line of readFileSync("web/_headers", "utf8").split("\n")) {
      if (line.startsWith("#") || !line.trim()) continue;
      if (!line.startsWith(" ")) rules.set((current = line.trim()), []);
      else rules.get(current)?.push(line.trim());
    }
    expect(rules.get("/*")).toContain("Cache-Control: no-cache");
    expect(rules.get("/assets/*")).toEqual(["! Cache-Control", `Cache-Control: ${immutable}`]);
    expect(rules.get("/assets/swagger-ui-dist/*")).toEqual(["! Cache-Control", "Cache-Control: no-cache"]);
  });
});

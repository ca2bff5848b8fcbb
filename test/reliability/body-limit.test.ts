import { connect } from "node:net";
import { serve } from "@hono/node-server";
import { describe, expect, test } from "vitest";
import { withApp } from "../helpers/app";
import { backends } from "../helpers/backends";

// A 50 MB body must cost the server nothing: refused from Content-Length
// before a byte is read, and a chunked body is read no further than the limit.
const fiftyMb = 50 * 1024 * 1024;
const chunk = new Uint8Array(64 * 1024).fill(0x20);

/** A body of `total` bytes that counts how much of it the server pulled. */
function countingBody(total: number) {
  const counter = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (counter.pulled >= total) return controller.close();
      counter.pulled += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { stream, counter };
}

async function expectTooLarge(res: Response) {
  expect(res.status).toBe(413);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  expect(((await res.json()) as { detail: string }).detail).toMatch(/larger than/);
}

describe.each(backends.slice(0, 1))("50 MB bodies are refused before they are read ($name)", (backend) => {
  for (const path of ["/v1/releases", "/v1/reports", "/v1/keys"]) {
    test(`Content-Length over the limit: 413 without reading (${path})`, () =>
      withApp(backend, async ({ app }) => {
        const { stream, counter } = countingBody(fiftyMb);
        const headers = { "content-type": "application/json", "content-length": String(fiftyMb) };
        await expectTooLarge(await app.request(path, { method: "POST", headers, body: stream, duplex: "half" } as RequestInit));
        // The stream may have been primed with a chunk or two, never drained.
        expect(counter.pulled).toBeLessThanOrEqual(2 * chunk.length);
      }));
  }

  test("a chunked body is read no further than the limit", () =>
    withApp(backend, async ({ app }) => {
      const { stream, counter } = countingBody(fiftyMb);
      const res = await app.request("/v1/releases", { method: "POST", headers: { "content-type": "application/json" }, body: stream, duplex: "half" } as RequestInit);
      await expectTooLarge(res);
      expect(counter.pulled).toBeLessThanOrEqual(64 * 1024 + 3 * chunk.length);
    }));

  test("over a real socket the 413 arrives while the client is still sending", () =>
    withApp(backend, async ({ app }) => {
      const port = 25500 + Math.floor(Math.random() * 40);
      const server = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" });
      try {
        const answer = await new Promise<string>((resolve, reject) => {
          const socket = connect(port, "127.0.0.1", () => {
            socket.write(`POST /v1/releases HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${fiftyMb}\r\n\r\n`);
            socket.write(chunk); // 64 KiB of the 50 MB; the rest is never sent
          });
          let text = "";
          socket.on("data", (data) => {
            text += data.toString("latin1");
            if (text.includes("\r\n\r\n")) socket.destroy();
          });
          const timer = setTimeout(() => socket.destroy(new Error(`no answer; got ${JSON.stringify(text)}`)), 5000);
          socket.on("close", () => {
            clearTimeout(timer);
            resolve(text);
          });
          socket.on("error", reject);
        });
        expect(answer).toMatch(/^HTTP\/1\.1 413/);
        expect(answer.toLowerCase()).toContain("content-type: application/problem+json");
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    }));
});

import { type IncomingHttpHeaders, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach } from "vitest";

export type Received = { headers: IncomingHttpHeaders; body: string };

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/**
 * A real HTTP receiver on 127.0.0.1, closed after the test; `respond` picks the
 * status (and optionally headers) of the n-th request (1-based).
 */
export async function startReceiver(
  respond: (n: number) => number | [number, Record<string, string>] | Promise<number> = () => 200,
) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      void Promise.resolve(respond(received.length)).then((answer) => {
        const [status, headers] = Array.isArray(answer) ? answer : [answer, {}];
        res.writeHead(status, headers).end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/hooks/rollout`;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  closers.push(close);
  return { url, port, received, close };
}

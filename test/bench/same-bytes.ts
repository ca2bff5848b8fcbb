// A second ceiling for the refresh storm: node:http alone (no framework, no work)
// answering every request with the exact status, headers and body of one cached
// owner answer. Against the bare Hono route it shows what sending an owner's
// answer costs by itself: its headers (security, rate limit, request id, cache)
// and body are several times the bare route's ~150 bytes.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

const port = Number(process.argv[2]);
const answer = JSON.parse(readFileSync(process.argv[3] ?? "", "utf8")) as { status: number; headers: Record<string, string>; body: string };
const headers = { ...answer.headers, "content-length": String(Buffer.byteLength(answer.body)) };
createServer((_req, res) => {
  res.writeHead(answer.status, headers);
  res.end(answer.body);
}).listen(port, () => console.log(`  Health:     http://127.0.0.1:${port}/`));

import { type IncomingMessage, type RequestListener, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type HttpBindings, getRequestListener } from "@hono/node-server";
import { describe, expect, test } from "vitest";
import { manualClock } from "../../src/lib/clock";
import { ownerLane } from "../../src/node/owner-lane";
import { knownIssueCache } from "../../src/services/known-issue-cache";
import { backends } from "../helpers/backends";
import { type AppOverrides, type TestContext, withApp } from "../helpers/app";
import { draftRelease, registerFleet } from "../helpers/rollout";

// On Node, an owner's cached answer is written at the socket, before either Hono
// app (src/node/owner-lane.ts). Over a real socket, these tests hold it to the
// framework's answer and check that everything else still reaches the framework.

/** As src/server.ts: the socket's peer is the client (the set-up's in-process requests name theirs). */
const overSocket: AppOverrides = {
  ownerReadsAt: "socket",
  connectionAddress: (c) => {
    const env = c.env as Partial<HttpBindings> & { peer?: string };
    return env.incoming?.socket.remoteAddress ?? env.peer;
  },
};

/** The app behind the lane on a real port; `framework` counts what reached Hono. */
async function served(ctx: TestContext, work: (base: string, framework: { requests: string[] }) => Promise<void>) {
  const framework = { requests: [] as string[] };
  const hono = getRequestListener(ctx.app.fetch);
  const counted: RequestListener = (req: IncomingMessage, res) => {
    framework.requests.push(`${req.method} ${req.url}`);
    void hono(req, res);
  };
  const server = createServer(ownerLane(ctx.app.ownerReadAhead, undefined, counted));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    await work(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, framework);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

async function startedCars(ctx: TestContext) {
  const { region, vehicles } = await registerFleet(ctx, 2);
  const { version } = await draftRelease(ctx, region, [{ name: "all", share: 100, ratePerHour: 1 }]);
  expect((await ctx.request("POST", `/v1/releases/${version}/start`)).status).toBe(200);
  return vehicles;
}

const volatile = new Set(["x-request-id", "ratelimit", "date"]);
const headersOf = (res: Response) => Object.fromEntries([...res.headers].filter(([name]) => !volatile.has(name)));

describe.each(backends)("owner answers at the socket ($name)", (backend) => {
  test("an owner's read is answered before the framework, read or cached, with the framework's body and headers, counted against the same limit", () =>
    withApp(
      backend,
      async (ctx) => {
        const cars = await startedCars(ctx);
        await served(ctx, async (base, framework) => {
          const remaining = (res: Response) => Number(/remaining=(\d+)/.exec(res.headers.get("ratelimit") ?? "")?.[1]);
          // A car each: one cached answer serves every language.
          for (const [code, query, status] of [[cars[0]!.ownerCode, "", 200], [cars[1]!.ownerCode, "?lang=nl", 200], ["no-such-code-0123456789", "", 404]] as const) {
            const url = `${base}/v1/track/${code}${query}`;
            const init = { headers: { "accept-language": "de" } };
            const read = await fetch(url, init);
            const cached = await fetch(url, init);
            expect(framework.requests).toEqual([]);
            // A request id of the caller's own goes the long way: the framework's answer, to compare with.
            const longWay = await fetch(url, { headers: { ...init.headers, "x-request-id": "reference-42" } });
            expect(framework.requests.splice(0)).toEqual([`GET /v1/track/${code}${query}`]);
            for (const lane of [read, cached]) {
              expect(lane.status).toBe(status);
              expect(await lane.text()).toBe(await longWay.clone().text());
              expect(headersOf(lane)).toEqual(headersOf(longWay));
              expect(lane.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
            }
            // One budget for both ways (refusals carry no rate-limit headers, either way).
            if (status === 200) expect([remaining(read), remaining(cached)]).toEqual([remaining(longWay) + 2, remaining(longWay) + 1]);
          }
        });
      },
      overSocket,
    ));

  test("everything else reaches the framework: other methods and paths, credentials, request ids, other queries", () =>
    withApp(
      backend,
      async (ctx) => {
        const [car] = await startedCars(ctx);
        await served(ctx, async (base, framework) => {
          const track = `/v1/track/${car!.ownerCode}`;
          expect((await fetch(`${base}${track}`)).status).toBe(200);
          const reaches = async (path: string, init: RequestInit, status: number) => {
            const before = framework.requests.length;
            const res = await fetch(`${base}${path}`, init);
            expect(res.status, `${init.method ?? "GET"} ${path}`).toBe(status);
            expect(framework.requests.length, `${init.method ?? "GET"} ${path}`).toBe(before + 1);
            return res;
          };
          await reaches(track, { headers: { authorization: "Bearer not-a-key-0123456789" } }, 401);
          expect((await reaches(track, { headers: { "x-request-id": "case-42" } }, 200)).headers.get("x-request-id")).toBe("case-42");
          await reaches(`${track}?lang=nl&debug=1`, {}, 200);
          await reaches(`${track}/`, {}, 200);
          await reaches(`${track}?lang=%3Cscript%3E`, {}, 400);
          for (const code of ["short", "x".repeat(65)]) await reaches(`/v1/track/${code}`, {}, 400);
          await reaches(`${track}/channel`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ channel: "beta" }) }, 200);
          await reaches("/healthz", {}, 200);
        });
      },
      overSocket,
    ));

  test("a read whose known issues cannot be read is counted once, though the framework then tries it again", () => {
    const unreadable = knownIssueCache({ clock: manualClock() });
    return withApp(
      backend,
      async (ctx) => {
        const [car] = await startedCars(ctx);
        await served(ctx, async (base) => {
          const statuses: number[] = [];
          for (let i = 0; i < 3; i++) statuses.push((await fetch(`${base}/v1/track/${car!.ownerCode}`)).status);
          expect(statuses[0]).toBeGreaterThanOrEqual(500);
          expect(statuses).toEqual([statuses[0], statuses[0], 429]);
        });
      },
      {
        ...overSocket,
        config: { trackRateLimit: 2 },
        knownIssues: { ...unreadable, get: () => Promise.reject(new Error("known issues cannot be read")), peekFresh: () => undefined },
      },
    );
  });

  test("each read counts once, also an unknown code the framework refuses; a client at its limit is refused by the framework", () =>
    withApp(
      backend,
      async (ctx) => {
        const [car] = await startedCars(ctx);
        await served(ctx, async (base) => {
          const statuses: number[] = [];
          for (const code of [car!.ownerCode, "no-such-code-0123456789", car!.ownerCode, car!.ownerCode, "no-such-code-0123456789"]) {
            statuses.push((await fetch(`${base}/v1/track/${code}`)).status);
          }
          expect(statuses).toEqual([200, 404, 200, 429, 429]);
        });
      },
      { ...overSocket, config: { trackRateLimit: 3 } },
    ));
});

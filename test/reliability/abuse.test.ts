import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { randomVin, vehicleBody } from "../helpers/fleet";
import { type NodeServer, call, guess, reachable, serverAdminToken, startNodeServers } from "./abuse-server";

// Abuse on the real Node server: the budget belongs to the connection's
// address, a header buys nothing unless TRUST_PROXY says whom to believe, and
// failed authentication is limited per client as well.

const admin = { authorization: `Bearer ${serverAdminToken}` };
const limit = 5;
const limits = { TRACK_RATE_LIMIT: String(limit), AUTH_FAILURE_LIMIT: String(limit) };

/** Spends `limit` tracking requests from `from` on codes nobody has. */
async function exhaustTrack(port: number, from: string, headers: () => Record<string, string> = () => ({})) {
  for (let i = 0; i < limit; i++) expect((await call(port, from, "GET", `/v1/track/${guess()}`, { headers: headers() })).status).toBe(404);
}

describe("Abuse: per-client budgets on the Node server", () => {
  // `server` believes no header; `proxied` has TRUST_PROXY name 127.0.0.10 as its proxy.
  let server: NodeServer;
  let proxied: NodeServer;
  beforeAll(async () => {
    [server, proxied] = (await startNodeServers([
      [25551, limits],
      [25552, { ...limits, TRUST_PROXY: "x-forwarded-for 127.0.0.10" }],
    ])) as [NodeServer, NodeServer];
  });
  afterAll(() => Promise.all([server?.stop(), proxied?.stop()]));

  test("guessing from one address does not throttle another", async () => {
    const registered = await call(server.port, "127.0.0.1", "PUT", `/v1/vehicles/${randomVin()}`, { headers: admin, json: vehicleBody() });
    expect(registered.status).toBe(201);
    const { ownerCode } = JSON.parse(registered.body) as { ownerCode: string };

    await exhaustTrack(server.port, "127.0.0.2");
    const throttled = await call(server.port, "127.0.0.2", "GET", `/v1/track/${ownerCode}`);
    expect(throttled.status).toBe(429);
    expect(throttled.headers["retry-after"]).toMatch(/^\d+$/);
    expect(throttled.headers["content-type"]).toMatch(/problem\+json/);
    // Another owner, another address: a budget of their own.
    expect((await call(server.port, "127.0.0.3", "GET", `/v1/track/${ownerCode}`)).status).toBe(200);
  });

  test("forwarding headers are ignored unless trusted: rotating X-Forwarded-For buys no fresh budget", async () => {
    let n = 0;
    await exhaustTrack(server.port, "127.0.0.4", () => ({ "x-forwarded-for": `203.0.113.${++n}`, "x-real-ip": `198.51.100.${n}` }));
    const rotated = await call(server.port, "127.0.0.4", "GET", `/v1/track/${guess()}`, {
      headers: { "x-forwarded-for": "192.0.2.77", "x-real-ip": "192.0.2.78", "cf-connecting-ip": "192.0.2.79" },
    });
    expect(rotated.status).toBe(429);
  });

  test("TRUST_PROXY: behind the named proxy each forwarded client has its own budget; the right-most untrusted hop counts", async () => {
    const port = proxied.port;
    // The proxy at 127.0.0.10 saw the client 203.0.113.9.
    await exhaustTrack(port, "127.0.0.10", () => ({ "x-forwarded-for": "203.0.113.9" }));
    expect((await call(port, "127.0.0.10", "GET", `/v1/track/${guess()}`, { headers: { "x-forwarded-for": "203.0.113.9" } })).status).toBe(429);
    // The left-most entries are the client's own words: forging them changes nothing.
    const forged = { "x-forwarded-for": "198.51.100.1, 203.0.113.9" };
    expect((await call(port, "127.0.0.10", "GET", `/v1/track/${guess()}`, { headers: forged })).status).toBe(429);
    // Another client behind the same proxy is not throttled.
    expect((await call(port, "127.0.0.10", "GET", `/v1/track/${guess()}`, { headers: { "x-forwarded-for": "203.0.113.10" } })).status).toBe(404);
    // A connection that is not from the proxy cannot use the header to escape its budget.
    let n = 0;
    await exhaustTrack(port, "127.0.0.11", () => ({ "x-forwarded-for": `203.0.113.${100 + ++n}` }));
    expect((await call(port, "127.0.0.11", "GET", `/v1/track/${guess()}`, { headers: { "x-forwarded-for": "192.0.2.1" } })).status).toBe(429);
  });

  test("failed authentication is limited per client; valid keys are not counted, other clients unaffected", async () => {
    for (let i = 0; i < 2 * limit; i++) expect((await call(server.port, "127.0.0.5", "GET", "/v1/releases", { headers: admin })).status).toBe(200);
    for (let i = 0; i < limit; i++) {
      const wrong = await call(server.port, "127.0.0.5", "GET", "/v1/releases", { headers: { authorization: `Bearer rk_guess_${randomUUID()}` } });
      expect(wrong.status).toBe(401);
    }
    const blocked = await call(server.port, "127.0.0.5", "GET", "/v1/releases", { headers: { authorization: `Bearer rk_guess_${randomUUID()}` } });
    expect(blocked.status).toBe(429);
    expect(blocked.headers["retry-after"]).toMatch(/^\d+$/);
    expect(JSON.parse(blocked.body)).toMatchObject({ type: "/problems/rate_limited", status: 429 });
    // While blocked, a right key is not confirmed either: that would make the block an oracle.
    expect((await call(server.port, "127.0.0.5", "GET", "/v1/releases", { headers: admin })).status).toBe(429);

    expect((await call(server.port, "127.0.0.6", "GET", "/v1/releases", { headers: admin })).status).toBe(200);
    expect((await call(server.port, "127.0.0.6", "GET", "/v1/releases", { headers: { authorization: "Bearer dt_nonsense" } })).status).toBe(401);
  });
});

const redisUp = await reachable("127.0.0.1", 6379);

describe.skipIf(!redisUp)("Abuse: with REDIS_URL, instances share one budget (real Redis)", () => {
  const prefix = `rollout-test-${randomUUID()}:`;
  const redis = new Redis("redis://127.0.0.1:6379", { lazyConnect: true });
  const env = { ...limits, REDIS_URL: "redis://127.0.0.1:6379", REDIS_PREFIX: prefix };
  let servers: NodeServer[] = [];
  beforeAll(async () => {
    await redis.connect();
    // Two instances on one Redis, and one whose Redis is down (nothing listens on 25599, in this suite's range).
    servers = await startNodeServers([
      [25553, env],
      [25554, env],
      [25555, { ...env, REDIS_URL: "redis://127.0.0.1:25599" }],
    ]);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  test("guesses split between two instances are counted together, tracking and failed auth alike", async () => {
    const [a, b] = servers;
    for (let i = 0; i < limit; i++) expect((await call(i % 2 ? a!.port : b!.port, "127.0.0.20", "GET", `/v1/track/${guess()}`)).status).toBe(404);
    expect((await call(a!.port, "127.0.0.20", "GET", `/v1/track/${guess()}`)).status).toBe(429);
    expect((await call(b!.port, "127.0.0.20", "GET", `/v1/track/${guess()}`)).status).toBe(429);
    expect((await call(b!.port, "127.0.0.21", "GET", `/v1/track/${guess()}`)).status).toBe(404);

    const wrongKey = { authorization: `Bearer rk_${randomUUID()}` };
    for (let i = 0; i < limit; i++) expect((await call(i % 2 ? a!.port : b!.port, "127.0.0.22", "GET", "/v1/releases", { headers: wrongKey })).status).toBe(401);
    expect((await call(a!.port, "127.0.0.22", "GET", "/v1/releases", { headers: wrongKey })).status).toBe(429);
    expect((await redis.keys(`${prefix}*`)).length).toBeGreaterThan(0);
  });

  test("Redis out of reach does not take the API down: limits fall back to this instance's memory", async () => {
    const server = servers[2]!;
    expect((await call(server.port, "127.0.0.23", "GET", "/v1/releases", { headers: admin })).status).toBe(200);
    await exhaustTrack(server.port, "127.0.0.23");
    expect((await call(server.port, "127.0.0.23", "GET", `/v1/track/${guess()}`)).status).toBe(429);
    expect(server.output()).toMatch(/redis/i);
  });
});

import { connect, type Socket } from "node:net";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import type { Logger } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, describe, expect, test } from "vitest";
import { parseConfig } from "../../src/config";
import type { Db } from "../../src/db/client";
import * as schema from "../../src/db/schema";
import { sha256Hex } from "../../src/lib/secrets";
import { aheadGatherMs, beatMs } from "../../src/services/owner-answers";
import { trackCodes, trackVehicle, vehicleForCode } from "../../src/services/track";
import type { Backend } from "../helpers/backends";
import { type TestContext, withApp } from "../helpers/app";
import { migratedPgliteClient } from "../helpers/pglite";
import { draftRelease, json, registerFleet, startedFleet } from "../helpers/rollout";

// An uncached owner read is one database round trip (the code's vehicle and its
// release context in one prepared statement), and that one statement answers
// exactly what the two-step path (code → vehicle, then vehicle → context) does.

/** Every statement drizzle sends, counted on real databases (drizzle's logger sees prepared statements too). */
const statements: string[] = [];
const logger: Logger = { logQuery: (query) => statements.push(query) };
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
});

const counted: Backend[] = [
  {
    name: "pglite",
    db: async () => {
      const client = await migratedPgliteClient();
      closers.push(() => client.close());
      return drizzlePglite(client, { schema, logger });
    },
  },
  ...(process.env.DATABASE_URL
    ? [
        {
          name: "postgres" as const,
          db: () => {
            const client = postgres(process.env.DATABASE_URL ?? "", { max: 2, onnotice: () => {} });
            closers.push(() => client.end());
            // As above: the postgres.js drizzle instance is used as the driver-neutral Db.
            return Promise.resolve(drizzlePostgres(client, { schema, logger }) as unknown as Db);
          },
        },
      ]
    : []),
];

const track = (ctx: TestContext, code: string) => ctx.request("GET", `/v1/track/${code}`, { token: null, peer: `owner-${code}` });

async function statementsDuring(work: () => Promise<unknown>) {
  const from = statements.length;
  await work();
  return statements.slice(from);
}

/** The one-statement answer and the two-step answer for the same code at the same moment. */
async function bothWays(ctx: TestContext, code: string) {
  const now = ctx.clock.now();
  const vehicle = await vehicleForCode(ctx.db, code, now);
  const hash = sha256Hex(code);
  return { one: (await trackCodes(ctx.db, [hash], now, beatMs)).get(hash) ?? null, two: vehicle && (await trackVehicle(ctx.db, vehicle, now, beatMs)) };
}

describe.each(counted)("owner reads ($name)", (backend) => {
  test("an uncached read of an owner code, a share link or an unknown code is one statement (the release's known issues cached)", () =>
    withApp(
      backend,
      async (ctx) => {
        const { vehicles } = await startedFleet(ctx, 4);
        const { vin, ownerCode } = vehicles[3]!;
        const link = await json<{ code: string }>(
          ctx.request("POST", `/v1/vehicles/${vin}/share-links`, { token: await ctx.keyFor("support"), json: { expiresInHours: 1 } }),
        );
        // The release's known issues have their own per-release cache (services/known-issue-cache.ts):
        // one owner's read fills it, and every owner read after it, while it is fresh, is one statement.
        expect(await statementsDuring(async () => expect((await track(ctx, vehicles[0]!.ownerCode)).status).toBe(200))).toHaveLength(2);
        for (const code of [ownerCode, link.code]) {
          let status = 0;
          expect(await statementsDuring(async () => (status = (await track(ctx, code)).status))).toHaveLength(1);
          expect(status).toBe(200);
        }
        let unknown = 0;
        expect(await statementsDuring(async () => (unknown = (await track(ctx, "no-such-code-0123456789")).status))).toHaveLength(1);
        expect(unknown).toBe(404);
      },
      { config: { trackCacheMs: 0 } },
    ));

  test("uncached reads that arrive together share statements, and each owner gets their own answer", () =>
    withApp(
      backend,
      async (ctx) => {
        const { vehicles } = await startedFleet(ctx, 24);
        // Fills the release's known-issue cache, so what follows are owner reads only.
        expect((await track(ctx, vehicles[0]!.ownerCode)).status).toBe(200);
        const codes = [...vehicles.map((v) => v.ownerCode), "no-such-code-0123456789"];
        let answers: { status: number; vin?: string; position?: number }[] = [];
        const sent = await statementsDuring(async () => {
          answers = await Promise.all(
            codes.map(async (code) => {
              const res = await track(ctx, code);
              const body = (await res.json()) as { vehicle?: { vin: string }; queue?: { position: number } };
              return { status: res.status, vin: body.vehicle?.vin, position: body.queue?.position };
            }),
          );
        });
        // 25 reads, at most `ownerReadLanes` statements in flight: the rest went together.
        expect(sent.length).toBeLessThan(codes.length / 2);
        expect(answers.at(-1)?.status).toBe(404);
        for (const [i, v] of vehicles.entries()) {
          expect(answers[i]).toMatchObject({ status: 200, vin: `${v.vin.slice(0, 9)}*****${v.vin.slice(14)}` });
        }
        // Every car its own place in line.
        expect(new Set(answers.slice(0, -1).map((a) => a.position)).size).toBe(vehicles.length);
      },
      { config: { trackCacheMs: 0 } },
    ));

  test("uncached reads that arrive over their own sockets in one turn of the event loop share statements (PGlite answers in this thread)", () =>
    withApp(
      backend,
      async (ctx) => {
        const { vehicles } = await startedFleet(ctx, 12);
        expect((await track(ctx, vehicles[0]!.ownerCode)).status).toBe(200);
        const server = createServer(getRequestListener(ctx.app.fetch));
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        try {
          const { port } = server.address() as AddressInfo;
          const sockets = await Promise.all(vehicles.map(() => new Promise<Socket>((resolve) => { const s = connect(port, "127.0.0.1", () => resolve(s)); })));
          // Every connection accepted before any request is written.
          await new Promise((resolve) => setTimeout(resolve, 50));
          let replies: string[] = [];
          const sent = await statementsDuring(async () => {
            const answered = sockets.map(
              (s) => new Promise<string>((resolve) => {
                let reply = "";
                s.on("data", (chunk: Buffer) => (reply += chunk.toString()));
                s.on("end", () => resolve(reply));
              }),
            );
            // All written in this one job: the server reads them in one turn, each from its own socket.
            for (const [i, s] of sockets.entries()) s.write(`GET /v1/track/${vehicles[i]!.ownerCode} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n`);
            replies = await Promise.all(answered);
          });
          expect(replies.map((r) => r.slice(0, 12))).toEqual(vehicles.map(() => "HTTP/1.1 200"));
          // Each sent the moment it was read, on PGlite every one was a statement of its own.
          expect(sent.length).toBeLessThanOrEqual(vehicles.length / 4);
        } finally {
          server.closeAllConnections();
          await new Promise((resolve) => server.close(resolve));
        }
      },
      { config: { trackCacheMs: 0 } },
    ));

  test("reads ahead of hot answers' end go together, though they arrive one by one and a lane is free", () =>
    withApp(backend, async (ctx) => {
      const { vehicles } = await startedFleet(ctx, 12);
      for (const v of vehicles) expect((await track(ctx, v.ownerCode)).status).toBe(200);
      // Past three quarters of the bound: each read is answered from the cache and starts a read ahead.
      const bound = parseConfig({}).trackCacheMs;
      ctx.clock.advance(bound * 0.8);
      // A few ms apart, as a storm's reads ahead come: time enough for each to go alone.
      const sent = await statementsDuring(async () => {
        for (const v of vehicles) {
          expect((await track(ctx, v.ownerCode)).status).toBe(200);
          await new Promise((r) => setTimeout(r, 3));
        }
        await new Promise((r) => setTimeout(r, aheadGatherMs * 5));
      });
      // Sent alone, they were one statement each.
      expect(sent.length).toBeGreaterThan(0);
      expect(sent.length).toBeLessThanOrEqual(vehicles.length / 2);
      // The reads ahead were kept: past the first answers' end, no request reads again.
      ctx.clock.advance(bound * 0.3);
      expect(await statementsDuring(() => Promise.all(vehicles.map((v) => track(ctx, v.ownerCode))))).toEqual([]);
    }));

  test("the one statement answers as the two-step path does: queued, offered, not eligible, up to date, ended, shared, revoked, expired", () =>
    withApp(backend, async (ctx) => {
      const { region, vehicles } = await registerFleet(ctx, 4, (i) => (i === 3 ? { model: "modelS" } : {}));
      const codes = vehicles.map((v) => v.ownerCode);
      // No release yet: up to date.
      expect(await bothWays(ctx, codes[0]!)).toMatchObject({ one: { state: "up_to_date", release: null } });
      const { version } = await draftRelease(ctx, region, [{ name: "first", share: 34 }, { name: "rest", share: 100, ratePerHour: 1 }], {
        eligibility: { regions: [region], models: ["model3"] },
      });
      expect((await ctx.request("POST", `/v1/releases/${version}/start`)).status).toBe(200);
      const states = new Set<string>();
      for (const code of codes) {
        const { one, two } = await bothWays(ctx, code);
        expect(one).toEqual(two);
        states.add(one?.state ?? "unknown");
      }
      expect([...states].sort()).toEqual(["not_eligible", "offered", "queued"]);
      // Together in one statement (the release's part sent once for all its cars), each as it reads alone.
      const now = ctx.clock.now();
      const hashes = [...codes, "no-such-code-0123456789"].map(sha256Hex);
      const together = await trackCodes(ctx.db, hashes, now, beatMs);
      expect(together.size).toBe(codes.length);
      for (const hash of hashes) expect(together.get(hash) ?? null).toEqual((await trackCodes(ctx.db, [hash], now, beatMs)).get(hash) ?? null);

      const support = await ctx.keyFor("support");
      const { vin } = vehicles[1]!;
      const link = await json<{ id: number; code: string }>(ctx.request("POST", `/v1/vehicles/${vin}/share-links`, { token: support, json: { expiresInHours: 1 } }));
      const shared = await bothWays(ctx, link.code);
      expect(shared.one).toEqual(shared.two);
      expect(shared.one?.vehicle.vin).toBe(`${vin.slice(0, 9)}*****${vin.slice(14)}`);

      // Halted: the car still sees the release it was queued in.
      expect((await ctx.request("POST", `/v1/releases/${version}/halt`, { json: { reason: "Test halt", message: "Stopped" } })).status).toBe(200);
      const ended = await bothWays(ctx, codes[0]!);
      expect(ended.one).toEqual(ended.two);
      expect(ended.one?.release?.version).toBe(version);

      // An expired link and a revoked link answer nothing, either way.
      ctx.clock.advance(3_600_001);
      expect(await bothWays(ctx, link.code)).toEqual({ one: null, two: null });
      const fresh = await json<{ id: number; code: string }>(ctx.request("POST", `/v1/vehicles/${vin}/share-links`, { token: support, json: { expiresInHours: 1 } }));
      expect((await ctx.request("DELETE", `/v1/vehicles/${vin}/share-links/${fresh.id}`, { token: support })).status).toBe(204);
      expect(await bothWays(ctx, fresh.code)).toEqual({ one: null, two: null });
      expect(await bothWays(ctx, "no-such-code-0123456789")).toEqual({ one: null, two: null });
    }));
});

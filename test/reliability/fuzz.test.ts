import fc from "fast-check";
import { afterAll, describe, expect, test } from "vitest";
import { createApp } from "../../src/app";
import { parseConfig } from "../../src/config";
import { manualClock } from "../../src/lib/clock";
import type { CreatedKey } from "../../src/routes/keys/keys.schemas";
import type { ShareLink } from "../../src/routes/support/support.schemas";
import { adminToken, type TestContext } from "../helpers/app";
import { type Backend, backends } from "../helpers/backends";
import { randomVin } from "../helpers/fleet";
import { draftRelease, json, registerFleet } from "../helpers/rollout";
import { fingerprint, pinSnapshot } from "./fingerprint";
import { type Components, type JsonSchema, arbitraryOf, defaultHints, mutate, mutation, nasty } from "./schema-arbitrary";

// Every operation in /openapi.json, fed requests generated from its own
// schemas and then broken. Whatever arrives: never a 5xx, every 4xx is
// problem+json with a detail, and a rejected request changes nothing.
const runsPerOperation = Number(process.env.FUZZ_RUNS ?? 40);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
let fuzzed = 0;
const statuses: Record<number, number> = {};
afterAll(() =>
  console.log(`fuzz: ${fuzzed} requests over every operation of /openapi.json (seed ${seed}, FUZZ_SEED to replay); statuses ${JSON.stringify(statuses)}`),
);

type Operation = { method: string; path: string; parameters?: { name: string; in: string; schema: JsonSchema }[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } };
type Sent = { method: string; path: string; headers: Record<string, string>; body?: string | Uint8Array };

class Rollback extends Error {}

/** Like withApp, with its own app: neither rate limit (owner reads, failed authentication) may hide the fuzz behind 429s. */
async function withFuzzApp(backend: Backend, run: (ctx: TestContext) => Promise<void>) {
  const db = await backend.db();
  await db
    .transaction(async (tx) => {
      const app = createApp({ db: tx, clock: manualClock("2026-11-01T08:00:00Z"), config: { ...parseConfig({}), adminToken, maxBodyBytes: 64 * 1024, trackRateLimit: 1_000_000, authFailureLimit: 1_000_000, publicUrl: "https://rollout.example.com" } });
      const request: TestContext["request"] = (method, path, init = {}) => {
        const headers: Record<string, string> = { ...init.headers, authorization: `Bearer ${init.token ?? adminToken}` };
        if (init.json !== undefined) headers["content-type"] = "application/json";
        return app.request(path, { method, headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.body });
      };
      const keyFor: TestContext["keyFor"] = async (role) => (await json<CreatedKey>(request("POST", "/v1/keys", { json: { role, label: role } }))).token;
      await pinSnapshot(tx);
      await run({ app, db: tx, clock: manualClock("2026-11-01T08:00:00Z"), request, keyFor });
      throw new Rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
}

const encodePathPart = (value: unknown) => {
  try {
    return encodeURIComponent(String(value));
  } catch {
    return "x%ED%A0%80y"; // a lone surrogate, as close as a URL can spell it
  }
};

const contentTypes = fc.oneof(
  { arbitrary: fc.constant("application/json"), weight: 8 },
  { arbitrary: fc.constantFrom(undefined, "text/plain", "application/json; charset=utf-8", "application/x-ndjson", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json\u00ff"), weight: 2 },
);
const bodyModes = fc.oneof(
  { arbitrary: fc.constant("json" as const), weight: 8 },
  { arbitrary: fc.constantFrom("duplicateFirst" as const, "duplicateLast" as const, "truncated" as const, "notJson" as const, "empty" as const, "badUtf8" as const), weight: 3 },
);

function encodeBody(value: unknown, mode: string, extra: unknown): string | Uint8Array {
  const text = JSON.stringify(value) ?? "";
  const firstKey = value && typeof value === "object" && !Array.isArray(value) ? Object.keys(value)[0] : undefined;
  switch (mode) {
    case "duplicateFirst":
      return firstKey ? `{${JSON.stringify(firstKey)}:${JSON.stringify(extra) ?? "null"},${text.slice(1)}` : text;
    case "duplicateLast":
      return firstKey ? `${text.slice(0, -1)},${JSON.stringify(firstKey)}:${JSON.stringify(extra) ?? "null"}}` : text;
    case "truncated":
      return text.slice(0, Math.max(0, text.length - 2));
    case "notJson":
      return `version=1&${text}`;
    case "empty":
      return "";
    case "badUtf8":
      return new Uint8Array([...new TextEncoder().encode(text.slice(0, -1)), ...(firstKey ? [0x2c, 0x22, 0x78, 0x22, 0x3a, 0x22, 0xff, 0xed, 0xa0, 0x80, 0x22] : []), 0x7d]);
    default:
      return text;
  }
}

describe.each(backends)("fuzzing every operation of /openapi.json ($name)", (backend) => {
  test("never a 5xx; a 4xx is problem+json and changes nothing", { timeout: 180_000 }, () =>
    withFuzzApp(backend, async (ctx) => {
      const keys = { admin: adminToken, release_manager: await ctx.keyFor("release_manager"), support: await ctx.keyFor("support"), gateway: await ctx.keyFor("gateway") };
      const { region, vehicles } = await registerFleet(ctx, 3);
      const rolling = await draftRelease(ctx, region, [{ name: "first", share: 50 }, { name: "rest", share: 100 }]);
      await ctx.request("POST", `/v1/releases/${rolling.version}/start`);
      const draft = await draftRelease(ctx, region, [{ name: "all", share: 100 }]);
      const link = await json<ShareLink>(ctx.request("POST", `/v1/vehicles/${vehicles[0]!.vin}/share-links`, { token: keys.support, json: { expiresInHours: 2 } }));
      const existing: Record<string, unknown[]> = {
        vin: vehicles.map((v) => v.vin),
        version: [rolling.version, draft.version],
        code: vehicles.map((v) => v.ownerCode),
        id: [link.id],
      };
      const hints = defaultHints({
        vin: fc.constantFrom(...vehicles.map((v) => v.vin), randomVin()),
        version: fc.constantFrom(rolling.version, draft.version),
        eventId: fc.uuid(),
        region: fc.constant(region),
      });
      const tokens = fc.oneof(
        { arbitrary: fc.constant(keys.admin), weight: 6 },
        { arbitrary: fc.constantFrom(keys.release_manager, keys.support, keys.gateway, vehicles[1]!.deviceToken), weight: 3 },
        { arbitrary: fc.constantFrom(null, "rtk_not-a-key", "\u00ff\u00fe", "x".repeat(3000)), weight: 1 },
      );

      const doc = (await (await ctx.app.request("/openapi.json")).json()) as { paths: Record<string, Record<string, Operation>>; components: { schemas: Components } };
      const components = doc.components.schemas;
      let before = await fingerprint(ctx.db);

      for (const [path, operations] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(operations)) {
          const params = op.parameters ?? [];
          const paramValue = (p: (typeof params)[number]) =>
            fc.oneof(
              { arbitrary: existing[p.name] ? fc.constantFrom(...existing[p.name]!) : arbitraryOf(p.schema, components, hints, p.name), weight: 5 },
              { arbitrary: arbitraryOf(p.schema, components, hints, p.name), weight: 2 },
              { arbitrary: nasty, weight: 3 },
            );
          const pathArb = fc.record(Object.fromEntries(params.filter((p) => p.in === "path").map((p) => [p.name, paramValue(p)])));
          const queryArb = fc.record(Object.fromEntries(params.filter((p) => p.in === "query").map((p) => [p.name, paramValue(p)])), { requiredKeys: [] });
          const ifMatch = fc.oneof(fc.constantFrom(undefined, draft.etag, rolling.etag, "*", '"0"', "\u00ff\u00fe", "x".repeat(3000)));
          const [type, media] = Object.entries(op.requestBody?.content ?? {})[0] ?? [];
          const ndjson = type === "application/x-ndjson";
          const lineSchema: JsonSchema = { type: "object", properties: { vin: { type: "string" }, ...components.VehicleInput!.properties }, required: ["vin"] };
          const valueArb = ndjson
            ? fc.array(fc.tuple(arbitraryOf(lineSchema, components, hints), mutation).map(([v, m]) => mutate(v, m)), { minLength: 1, maxLength: 5 })
            : media
              ? fc.tuple(arbitraryOf(media.schema, components, hints), mutation).map(([v, m]) => mutate(v, m))
              : fc.constant(undefined);
          const requestArb = fc.record({ pathValues: pathArb, query: queryArb, ifMatch, value: valueArb, mode: bodyModes, extra: nasty, contentType: ndjson ? fc.constantFrom("application/x-ndjson", "application/x-ndjson", "application/json", undefined) : contentTypes, token: tokens });

          await fc.assert(
            fc.asyncProperty(requestArb, async (r) => {
              const sent: Sent = { method: method.toUpperCase(), path: path.replace(/\{(\w+)\}/g, (_, name: string) => encodePathPart(r.pathValues[name])), headers: {} };
              const query = Object.entries(r.query).map(([k, v]) => `${k}=${encodePathPart(v)}`);
              if (query.length) sent.path += `?${query.join("&")}`;
              if (r.token) sent.headers.authorization = `Bearer ${r.token}`;
              if (r.ifMatch !== undefined && params.some((p) => p.name === "if-match")) sent.headers["if-match"] = r.ifMatch;
              if (media || ndjson) {
                if (r.contentType) sent.headers["content-type"] = r.contentType;
                sent.body = ndjson ? (r.value as unknown[]).map((line) => JSON.stringify(line) ?? "").join("\n") : encodeBody(r.value, r.mode, r.extra);
              }
              fuzzed++;
              const res = await ctx.app.request(sent.path, { method: sent.method, headers: sent.headers, body: sent.body as BodyInit | undefined });
              const text = await res.text(); // also lets a streamed import finish
              statuses[res.status] = (statuses[res.status] ?? 0) + 1;
              const what = `${sent.method} ${sent.path} → ${res.status} ${text.slice(0, 300)}`;
              expect(res.status, what).toBeLessThan(500);
              const after = await fingerprint(ctx.db);
              if (res.status >= 400) {
                expect(res.headers.get("content-type"), what).toMatch(/^application\/problem\+json/);
                expect((JSON.parse(text) as { detail?: string }).detail, what).toBeTruthy();
                expect(after, `${what}: a rejected request changed the database`).toBe(before);
              }
              before = after;
            }),
            { numRuns: runsPerOperation, seed, endOnFailure: true },
          );
        }
      }
      expect(fuzzed).toBeGreaterThan(0);
      // A rate limit answering instead of the handlers would hide everything behind 429s.
      expect(statuses[429] ?? 0, "requests answered 429").toBeLessThan(fuzzed * 0.05);
    }),
  );
});

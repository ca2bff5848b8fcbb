import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import type { Db } from "../../src/db/client";
import { rowsOf } from "../../src/db/rows";
import { webhooks } from "../../src/db/schema";
import { verifySignature } from "../../src/domain/webhook-signature";
import type { WebhookTargets } from "../../src/lib/public-address";
import type { CreatedWebhook } from "../../src/routes/webhooks/webhooks.schemas";
import {
  type WebhookEventType,
  deliverDueWebhooks as deliverStrictly,
  enqueueWebhookEvent,
  maxDeliveryAttempts,
  retryDelaySeconds,
} from "../../src/services/webhooks";
import { type TestContext, withApp as withStrictApp } from "../helpers/app";
import { backends } from "../helpers/backends";
import { draftRelease, registerFleet } from "../helpers/rollout";
import { type Received, startReceiver } from "../helpers/receiver";

// Events happen in 2001 in these tests: on a shared Postgres, deliveries that a
// running server committed are due "now", never in 2001, so each test only
// ever claims its own.
const t0 = new Date("2001-01-01T00:00:00Z");
const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

// The receivers here listen on http://127.0.0.1, which the default policy
// refuses (test/reliability/ssrf.test.ts); these tests opt in explicitly.
const localReceivers: WebhookTargets = { allowPrivate: true, allowHttp: true };
const withApp: typeof withStrictApp = (backend, run) => withStrictApp(backend, run, { config: { webhookTargets: localReceivers } });
const deliverDueWebhooks = (options: Parameters<typeof deliverStrictly>[0]) => deliverStrictly({ targets: localReceivers, ...options });

async function subscribe(ctx: TestContext, url: string, eventTypes: WebhookEventType[]) {
  const res = await ctx.request("POST", "/v1/webhooks", { json: { url, eventTypes } });
  if (res.status !== 201) throw new Error(`subscribe: ${res.status} ${await res.text()}`);
  return (await res.json()) as CreatedWebhook;
}

type DeliveryRow = { id: string; event_type: string; attempts: number; delivered: boolean; next_attempt_at: string; last_error: string | null };

async function deliveriesOf(db: Db, webhookId: number) {
  return rowsOf<DeliveryRow>(
    await db.execute(sql`
      select id::text as id, event_type, attempts, delivered_at is not null as delivered,
             to_json(next_attempt_at) #>> '{}' as next_attempt_at, last_error
      from webhook_deliveries where webhook_id = ${webhookId} order by id`),
  );
}

describe.each(backends)("webhooks ($name)", (backend) => {
  test("the admin subscribes a URL; the signing secret is shown once and kept out of the audit log", () =>
    withApp(backend, async (ctx) => {
      const res = await ctx.request("POST", "/v1/webhooks", {
        json: { url: "https://support.example.com/hooks", eventTypes: ["release.paused", "release.halted"] },
      });
      expect(res.status).toBe(201);
      const webhook = (await res.json()) as { id: number; secret: string; createdAt: string };
      expect(webhook).toMatchObject({ url: "https://support.example.com/hooks", eventTypes: ["release.paused", "release.halted"] });
      expect(webhook.secret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
      expect(webhook.createdAt).toBe(ctx.clock.now().toISOString());

      const audit = await ctx.db.execute(sql`select actor, after from audit_log where action = 'webhook.created' and (after->>'id')::int = ${webhook.id}`);
      expect(rowsOf(audit)).toHaveLength(1);
      expect(JSON.stringify(audit)).toContain("ADMIN_TOKEN");
      expect(JSON.stringify(audit)).not.toContain(webhook.secret);

      const again = (await (await ctx.request("POST", "/v1/webhooks", { json: { url: "https://support.example.com/hooks", eventTypes: ["release.paused"] } })).json()) as { secret: string };
      expect(again.secret).not.toBe(webhook.secret);
    }));

  test("bad URLs, empty, unknown or repeated event types are 400 with the offending field; only admins subscribe", () =>
    withApp(backend, async (ctx) => {
      const bad: [unknown, string][] = [
        [{ url: "not a url", eventTypes: ["release.paused"] }, "url"],
        [{ url: "ftp://example.com/x", eventTypes: ["release.paused"] }, "url"],
        [{ url: "javascript:alert(1)", eventTypes: ["release.paused"] }, "url"],
        [{ eventTypes: ["release.paused"] }, "url"],
        [{ url: "https://example.com", eventTypes: [] }, "eventTypes"],
        [{ url: "https://example.com", eventTypes: ["release.exploded"] }, "eventTypes.0"],
        [{ url: "https://example.com", eventTypes: ["release.paused", "release.paused"] }, "eventTypes"],
        [{ url: "https://example.com", eventTypes: "release.paused" }, "eventTypes"],
      ];
      for (const [json, field] of bad) {
        const res = await ctx.request("POST", "/v1/webhooks", { json });
        expect(res.status, JSON.stringify(json)).toBe(400);
        expect(res.headers.get("content-type")).toContain("application/problem+json");
        const problem = (await res.json()) as { errors: { field: string }[] };
        expect(problem.errors.map((e) => e.field), JSON.stringify(json)).toContain(field);
      }
      const good = { url: "https://example.com/hook", eventTypes: ["release.paused"] };
      for (const role of ["release_manager", "support", "gateway"] as const) {
        expect((await ctx.request("POST", "/v1/webhooks", { token: await ctx.keyFor(role), json: good })).status, role).toBe(403);
      }
      expect((await ctx.request("POST", "/v1/webhooks", { token: null, json: good })).status).toBe(401);
      expect(rowsOf(await ctx.db.execute(sql`select 1 from webhooks where url = 'https://example.com/hook'`))).toHaveLength(0);
    }));

  test("an event reaches a real receiver once, signed with the subscription's secret", () =>
    withApp(backend, async (ctx) => {
      const receiver = await startReceiver();
      const webhook = await subscribe(ctx, receiver.url, ["release.paused"]);
      await enqueueWebhookEvent(ctx.db, "release.paused", [{ version: "2026.44.1", message: "Looking into a charging issue" }], t0);

      const now = later(5);
      expect(await deliverDueWebhooks({ db: ctx.db, now })).toEqual({ delivered: 1, failed: 0 });
      expect(receiver.received).toHaveLength(1);
      const [{ headers, body }] = receiver.received as [Received];
      const event = JSON.parse(body) as { id: string; type: string; createdAt: string; data: unknown };
      expect(event).toEqual({
        id: headers["x-rollout-delivery"],
        type: "release.paused",
        createdAt: t0.toISOString(),
        data: { version: "2026.44.1", message: "Looking into a charging issue" },
      });
      expect(headers["content-type"]).toBe("application/json");
      expect(headers["x-rollout-event"]).toBe("release.paused");
      const signature = headers["x-rollout-signature"] as string;
      expect(signature).toMatch(new RegExp(`^t=${now.getTime() / 1000},v1=[0-9a-f]{64}$`));
      expect(await verifySignature(webhook.secret, signature, body, { now })).toBe(true);
      expect(await verifySignature("whsec_someone-else", signature, body, { now })).toBe(false);

      // Delivered means done: a second pass sends nothing.
      expect(await deliverDueWebhooks({ db: ctx.db, now: later(3600) })).toEqual({ delivered: 0, failed: 0 });
      expect(receiver.received).toHaveLength(1);
      expect(await deliveriesOf(ctx.db, webhook.id)).toMatchObject([{ id: event.id, attempts: 1, delivered: true, last_error: null }]);
    }));

  test("a receiver answering 500 is retried with growing backoff, then delivered with the same id", () =>
    withApp(backend, async (ctx) => {
      const receiver = await startReceiver((n) => (n <= 2 ? 500 : 204));
      const webhook = await subscribe(ctx, receiver.url, ["release.halted"]);
      await enqueueWebhookEvent(ctx.db, "release.halted", [{ version: "2026.44.1", reason: "battery drain" }], t0);

      expect(await deliverDueWebhooks({ db: ctx.db, now: t0 })).toEqual({ delivered: 0, failed: 1 });
      const [first] = (await deliveriesOf(ctx.db, webhook.id)) as [DeliveryRow];
      expect(first).toMatchObject({ attempts: 1, delivered: false, last_error: "HTTP 500 Internal Server Error" });
      expect(new Date(first.next_attempt_at)).toEqual(later(30));

      // Not due before its backoff has passed.
      expect(await deliverDueWebhooks({ db: ctx.db, now: later(29) })).toEqual({ delivered: 0, failed: 0 });
      expect(receiver.received).toHaveLength(1);

      expect(await deliverDueWebhooks({ db: ctx.db, now: later(30) })).toEqual({ delivered: 0, failed: 1 });
      const [second] = (await deliveriesOf(ctx.db, webhook.id)) as [DeliveryRow];
      expect(new Date(second.next_attempt_at)).toEqual(later(30 + 60));
      expect(await deliverDueWebhooks({ db: ctx.db, now: later(89) })).toEqual({ delivered: 0, failed: 0 });

      expect(await deliverDueWebhooks({ db: ctx.db, now: later(90) })).toEqual({ delivered: 1, failed: 0 });
      expect(receiver.received).toHaveLength(3);
      const ids = receiver.received.map((r) => r.headers["x-rollout-delivery"]);
      expect(new Set(ids).size).toBe(1);
      // Each try is signed afresh, so a receiver's replay window judges the try, not the event.
      expect(await verifySignature(webhook.secret, receiver.received[2]!.headers["x-rollout-signature"] as string, receiver.received[2]!.body, { now: later(90) })).toBe(true);
      expect(await deliveriesOf(ctx.db, webhook.id)).toMatchObject([{ attempts: 3, delivered: true }]);
    }));

  test("a receiver that is down or hangs does not make delivery throw; the delivery stays pending", () =>
    withApp(backend, async (ctx) => {
      const down = await startReceiver();
      await down.close();
      const hanging = await startReceiver(() => new Promise<number>(() => {}));
      const downHook = await subscribe(ctx, down.url, ["vehicle.state_changed"]);
      const hangingHook = await subscribe(ctx, hanging.url, ["vehicle.state_changed"]);
      await enqueueWebhookEvent(ctx.db, "vehicle.state_changed", [{ vin: "5YJ3E1EA1KF000123", version: "2026.44.1", state: "installed", at: t0 }], t0);

      expect(await deliverDueWebhooks({ db: ctx.db, now: t0, timeoutMs: 300 })).toEqual({ delivered: 0, failed: 2 });
      const [refused] = (await deliveriesOf(ctx.db, downHook.id)) as [DeliveryRow];
      expect(refused).toMatchObject({ attempts: 1, delivered: false });
      expect(refused.last_error).toContain("ECONNREFUSED");
      expect(new Date(refused.next_attempt_at)).toEqual(later(30));
      const [timedOut] = (await deliveriesOf(ctx.db, hangingHook.id)) as [DeliveryRow];
      expect(timedOut).toMatchObject({ attempts: 1, delivered: false });
      expect(timedOut.last_error).toMatch(/timeout|abort/i);
      expect(hanging.received).toHaveLength(1);
    }));

  test("backoff doubles up to an hour, and after the last attempt a delivery is left alone", () =>
    withApp(backend, async (ctx) => {
      expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(retryDelaySeconds)).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);

      const receiver = await startReceiver(() => 503);
      const webhook = await subscribe(ctx, receiver.url, ["release.completed"]);
      await enqueueWebhookEvent(ctx.db, "release.completed", [{ version: "2026.44.1" }], t0);
      await ctx.db.execute(sql`update webhook_deliveries set attempts = ${maxDeliveryAttempts - 1} where webhook_id = ${webhook.id}`);

      expect(await deliverDueWebhooks({ db: ctx.db, now: t0 })).toEqual({ delivered: 0, failed: 1 });
      expect(await deliveriesOf(ctx.db, webhook.id)).toMatchObject([{ attempts: maxDeliveryAttempts, delivered: false, last_error: "HTTP 503 Service Unavailable" }]);
      expect(await deliverDueWebhooks({ db: ctx.db, now: later(30 * 86400) })).toEqual({ delivered: 0, failed: 0 });
      expect(receiver.received).toHaveLength(1);
    }));

  test("an event is queued for every payload, only for active subscribers of its type", () =>
    withApp(backend, async (ctx) => {
      const url = "https://chat.example.com/hook";
      const paused = await subscribe(ctx, url, ["release.paused"]);
      const vehicles = await subscribe(ctx, url, ["vehicle.state_changed", "release.halted"]);
      const disabled = await subscribe(ctx, url, ["release.paused"]);
      await ctx.db.execute(sql`update webhooks set disabled_at = now() where id = ${disabled.id}`);

      await enqueueWebhookEvent(ctx.db, "release.paused", [{ version: "2026.44.1" }, { version: "2026.44.2" }, { version: "2026.44.3" }], t0);
      await enqueueWebhookEvent(ctx.db, "vehicle.state_changed", [], t0);
      expect((await deliveriesOf(ctx.db, paused.id)).map((d) => d.event_type)).toEqual(["release.paused", "release.paused", "release.paused"]);
      expect(await deliveriesOf(ctx.db, vehicles.id)).toEqual([]);
      expect(await deliveriesOf(ctx.db, disabled.id)).toEqual([]);

      await enqueueWebhookEvent(ctx.db, "vehicle.state_changed", [{ vin: "A" }, { vin: "B" }], t0);
      expect((await deliveriesOf(ctx.db, vehicles.id)).map((d) => d.event_type)).toEqual(["vehicle.state_changed", "vehicle.state_changed"]);
      const payloads = rowsOf<{ payload: unknown }>(
        await ctx.db.execute(sql`select payload::text as payload from webhook_deliveries where webhook_id = ${paused.id} order by id`),
      ).map((r) => JSON.parse(r.payload as string) as unknown);
      expect(payloads).toEqual([{ version: "2026.44.1" }, { version: "2026.44.2" }, { version: "2026.44.3" }]);
    }));

  test("reports queue one vehicle.state_changed per car whose state they changed, with its previous state", () =>
    withApp(backend, async (ctx) => {
      const hook = await subscribe(ctx, "https://chat.example.com/hook", ["vehicle.state_changed"]);
      const { region, vehicles } = await registerFleet(ctx, 3);
      const { version } = await draftRelease(ctx, region, [{ name: "all", share: 100 }]);
      await ctx.request("POST", `/v1/releases/${version}/start`);
      const gateway = await ctx.keyFor("gateway");
      const [a, b, c] = vehicles.map((v) => v.vin);
      const at = (minute: number) => new Date(ctx.clock.now().getTime() - (60 - minute) * 60_000).toISOString();
      const report = (vin: string | undefined, state: string, minute: number) => ({ eventId: crypto.randomUUID(), vin, version, state, at: at(minute) });
      // a: two steps in one batch (one event, its final state); b: installed; c: a late downloading after installing changes nothing.
      await ctx.request("POST", "/v1/reports", { token: gateway, json: { reports: [report(c, "installing", 5)] } });
      const res = await ctx.request("POST", "/v1/reports", {
        token: gateway,
        json: { reports: [report(a, "downloading", 1), report(b, "installed", 2), report(a, "installing", 3), report(c, "downloading", 4)] },
      });
      expect(res.status).toBe(200);
      const payloads = rowsOf<{ payload: string }>(
        await ctx.db.execute(sql`select payload::text as payload from webhook_deliveries where webhook_id = ${hook.id} order by id`),
      ).map((r) => JSON.parse(r.payload) as unknown);
      expect(payloads).toEqual([
        { vin: c, version, state: "installing", previous: "offered", at: at(5) },
        { vin: a, version, state: "installing", previous: "offered", at: at(3) },
        { vin: b, version, state: "installed", previous: "offered", at: at(2) },
      ]);
    }));

  // Two workers racing needs two connections and committed rows; PGlite is a single connection.
  test.runIf(backend.name === "postgres")("concurrent delivery workers never send the same delivery twice", async () => {
    const db = await backend.db();
    // A receiver that takes a moment, so the workers' claims overlap in time.
    const receiver = await startReceiver(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return 200;
    });
    const [webhook] = await db.insert(webhooks).values({ url: receiver.url, eventTypes: ["release.completed"], secret: "whsec_concurrency" }).returning({ id: webhooks.id });
    try {
      const count = 60;
      await db.execute(sql`
        insert into webhook_deliveries (webhook_id, event_type, payload, next_attempt_at, created_at)
        select ${webhook!.id}, 'release.completed', jsonb_build_object('n', g), ${t0.toISOString()}::timestamptz, ${t0.toISOString()}::timestamptz
        from generate_series(1, ${count}) g`);
      const worker = async () => {
        let delivered = 0;
        for (;;) {
          const result = await deliverDueWebhooks({ db, now: later(1), limit: 7 });
          if (result.delivered + result.failed === 0) return delivered;
          delivered += result.delivered;
        }
      };
      const perWorker = await Promise.all([worker(), worker(), worker()]);

      const ids = receiver.received.map((r) => r.headers["x-rollout-delivery"]);
      expect(ids).toHaveLength(count);
      expect(new Set(ids).size).toBe(count);
      expect(perWorker.reduce((a, b) => a + b, 0)).toBe(count);
      // They really raced: more than one worker got a share.
      expect(perWorker.filter((n) => n > 0).length).toBeGreaterThan(1);
      expect((await deliveriesOf(db, webhook!.id)).every((d) => d.delivered && d.attempts === 1)).toBe(true);
    } finally {
      await db.delete(webhooks).where(sql`${webhooks.id} = ${webhook!.id}`);
    }
  });
});

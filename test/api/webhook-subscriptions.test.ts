import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { rowsOf } from "../../src/db/rows";
import type { WebhookTargets } from "../../src/lib/public-address";
import type { CreatedWebhook, WebhookList } from "../../src/routes/webhooks/webhooks.schemas";
import { deliverDueWebhooks, enqueueWebhookEvent } from "../../src/services/webhooks";
import { type TestContext, withApp } from "../helpers/app";
import { backends } from "../helpers/backends";
import { startReceiver } from "../helpers/receiver";

const t0 = new Date("2001-01-01T00:00:00Z");
const localReceivers: WebhookTargets = { allowPrivate: true, allowHttp: true };

async function subscribe(ctx: TestContext, url: string) {
  const res = await ctx.request("POST", "/v1/webhooks", { json: { url, eventTypes: ["release.paused", "release.halted"] } });
  if (res.status !== 201) throw new Error(`subscribe: ${res.status} ${await res.text()}`);
  return (await res.json()) as CreatedWebhook;
}

type Listed = WebhookList;

describe.each(backends)("webhook subscriptions ($name)", (backend) => {
  test("the admin lists subscriptions without their secrets; no one else may", () =>
    withApp(backend, async (ctx) => {
      const a = await subscribe(ctx, `https://a-${crypto.randomUUID()}.example.com/hook`);
      const b = await subscribe(ctx, `https://b-${crypto.randomUUID()}.example.com/hook`);
      const res = await ctx.request("GET", "/v1/webhooks");
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).not.toContain(a.secret);
      expect(text).not.toContain(b.secret);
      expect(text).not.toMatch(/secret|whsec_/);
      const listed = (JSON.parse(text) as Listed).webhooks;
      expect(listed.find((w) => w.id === a.id)).toEqual({ id: a.id, url: a.url, eventTypes: ["release.paused", "release.halted"], createdAt: ctx.clock.now().toISOString() });
      expect(listed.find((w) => w.id === b.id)).toMatchObject({ url: b.url });

      for (const role of ["release_manager", "support", "gateway"] as const) {
        const token = await ctx.keyFor(role);
        expect((await ctx.request("GET", "/v1/webhooks", { token })).status, role).toBe(403);
        expect((await ctx.request("DELETE", `/v1/webhooks/${a.id}`, { token })).status, role).toBe(403);
      }
      expect((await ctx.request("GET", "/v1/webhooks", { token: null })).status).toBe(401);
      expect((await ctx.request("DELETE", `/v1/webhooks/${a.id}`, { token: null })).status).toBe(401);
    }));

  test("deleting is audited, takes the subscription off the list, and a second delete is 404", () =>
    withApp(backend, async (ctx) => {
      const webhook = await subscribe(ctx, `https://${crypto.randomUUID()}.example.com/hook`);
      const res = await ctx.request("DELETE", `/v1/webhooks/${webhook.id}`);
      expect(res.status).toBe(204);

      const listed = (await (await ctx.request("GET", "/v1/webhooks")).json()) as Listed;
      expect(listed.webhooks.map((w) => w.id)).not.toContain(webhook.id);
      const audit = rowsOf<{ actor: string; before: string }>(
        await ctx.db.execute(sql`select actor, before::text as before from audit_log where action = 'webhook.deleted' and (before->>'id')::int = ${webhook.id}`),
      );
      expect(audit).toHaveLength(1);
      expect(audit[0]!.actor).toContain("ADMIN_TOKEN");
      expect(audit[0]!.before).toContain(webhook.url);
      expect(audit[0]!.before).not.toContain(webhook.secret);

      const again = await ctx.request("DELETE", `/v1/webhooks/${webhook.id}`);
      expect(again.status).toBe(404);
      expect(again.headers.get("content-type")).toContain("application/problem+json");
      expect((await ctx.request("DELETE", "/v1/webhooks/2147483647")).status).toBe(404);
    }));

  test("an id that is not a positive 32-bit integer is 400", () =>
    withApp(backend, async (ctx) => {
      for (const id of ["2147483648", "99999999999999999999", "0", "-1", "abc", "1.5"]) {
        const res = await ctx.request("DELETE", `/v1/webhooks/${id}`);
        expect(res.status, id).toBe(400);
        expect(res.headers.get("content-type"), id).toContain("application/problem+json");
      }
    }));

  test("a deleted subscription gets no further deliveries: pending ones are left unsent, new events are not queued", () =>
    withApp(
      backend,
      async (ctx) => {
        const receiver = await startReceiver();
        const webhook = await subscribe(ctx, receiver.url);
        await enqueueWebhookEvent(ctx.db, "release.paused", [{ version: "2026.44.1" }], t0);
        expect((await ctx.request("DELETE", `/v1/webhooks/${webhook.id}`)).status).toBe(204);
        await enqueueWebhookEvent(ctx.db, "release.halted", [{ version: "2026.44.1" }], t0);

        expect(await deliverDueWebhooks({ db: ctx.db, now: t0, targets: localReceivers })).toEqual({ delivered: 0, failed: 0 });
        expect(receiver.received).toHaveLength(0);
        const deliveries = rowsOf<{ event_type: string; delivered: boolean; attempts: number }>(
          await ctx.db.execute(sql`select event_type, delivered_at is not null as delivered, attempts from webhook_deliveries where webhook_id = ${webhook.id}`),
        );
        expect(deliveries).toEqual([{ event_type: "release.paused", delivered: false, attempts: 0 }]);
      },
      { config: { webhookTargets: localReceivers } },
    ));

  test("the new routes are documented: summary, description, security and their 404", () =>
    withApp(backend, async (ctx) => {
      type Operation = { summary?: string; description?: string; security?: unknown; responses: Record<string, unknown> };
      const doc = (await (await ctx.request("GET", "/openapi.json", { token: null })).json()) as { paths: Record<string, Record<string, Operation>> };
      const list = doc.paths["/v1/webhooks"]!.get!;
      const remove = doc.paths["/v1/webhooks/{id}"]!.delete!;
      for (const op of [list, remove]) {
        expect(op.summary).toBeTruthy();
        expect(op.description).toBeTruthy();
        expect(op.security).toEqual([{ bearerAuth: [] }]);
        expect(op.responses).toHaveProperty("401");
        expect(op.responses).toHaveProperty("403");
      }
      expect(remove.responses).toHaveProperty("404");
      expect(remove.responses).toHaveProperty("204");
    }));
});

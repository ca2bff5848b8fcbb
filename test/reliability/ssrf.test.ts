import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import type { Db } from "../../src/db/client";
import { rowsOf } from "../../src/db/rows";
import type { ResolveHost, WebhookTargets } from "../../src/lib/public-address";
import { deliverDueWebhooks, enqueueWebhookEvent } from "../../src/services/webhooks";
import { withApp } from "../helpers/app";
import { backends } from "../helpers/backends";
import { startReceiver } from "../helpers/receiver";

// Nothing here may reach beyond 127.0.0.0/8: internal names resolve through
// an injected resolver, and the guard has to refuse before any connection.
const t0 = new Date("2001-01-01T00:00:00Z");
const localReceivers: WebhookTargets = { allowPrivate: true, allowHttp: true };

/** A DNS of our own: names map to the addresses given, anything else does not resolve. */
function resolverOf(names: Record<string, string[]>): ResolveHost {
  return async (hostname) => {
    const addresses = names[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
    return addresses;
  };
}

const dns = resolverOf({
  "public.example": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
  "internal.example": ["10.0.0.5"],
  "mixed.example": ["93.184.215.14", "fd12:3456::1"],
});

/** A fetch that must never be called: the guard refuses before sending. */
function forbiddenFetch() {
  const calls: string[] = [];
  const fetch: typeof globalThis.fetch = async (input) => {
    calls.push(input instanceof Request ? input.url : input.toString());
    return new Response(null, { status: 200 });
  };
  return { fetch, calls };
}

async function deliveriesOf(db: Db, webhookId: number) {
  return rowsOf<{ attempts: number; delivered: boolean; last_error: string | null }>(
    await db.execute(sql`
      select attempts, delivered_at is not null as delivered, last_error
      from webhook_deliveries where webhook_id = ${webhookId} order by id`),
  );
}

describe.each(backends)("webhook targets ($name)", (backend) => {
  test("loopback, private, link-local, metadata, plain http and internal names are refused when subscribing", () =>
    withApp(
      backend,
      async (ctx) => {
        const refused = [
          "http://127.0.0.1:8080/hooks",
          "https://127.0.0.1/",
          "https://169.254.169.254/latest/meta-data",
          "https://[::1]/",
          "https://[::ffff:127.0.0.1]/",
          "https://10.0.0.1/",
          "https://172.16.5.4/",
          "https://192.168.1.1/",
          "https://100.64.0.1/",
          "https://[fe80::1]/",
          "https://[fd00:ec2::254]/latest",
          "https://0.0.0.0/",
          "https://2130706433/",
          "https://0x7f.1/",
          "https://localhost/",
          "https://api.localhost/",
          "https://metadata.google.internal/computeMetadata/v1/",
          "http://example.com/",
          "https://internal.example/hook",
          "https://mixed.example/hook",
          "https://nowhere.example/hook",
        ];
        for (const url of refused) {
          const res = await ctx.request("POST", "/v1/webhooks", { json: { url, eventTypes: ["release.paused"] } });
          expect(res.status, url).toBe(400);
          expect(res.headers.get("content-type"), url).toContain("application/problem+json");
          const problem = (await res.json()) as { detail: string; errors: { field: string; message: string }[] };
          expect(problem.errors.map((e) => e.field), url).toEqual(["url"]);
        }
        const stored = await ctx.db.execute(sql`select url from webhooks where url in ${refused}`);
        expect(rowsOf(stored)).toEqual([]);

        // Public names and addresses are fine.
        for (const url of ["https://public.example/hook", "https://93.184.215.14/hook", "https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/hook"]) {
          expect((await ctx.request("POST", "/v1/webhooks", { json: { url, eventTypes: ["release.paused"] } })).status, url).toBe(201);
        }
      },
      { resolveHost: dns },
    ));

  test("the refusal says why, naming the address a host resolves to", () =>
    withApp(
      backend,
      async (ctx) => {
        const detail = async (url: string) => {
          const res = await ctx.request("POST", "/v1/webhooks", { json: { url, eventTypes: ["release.paused"] } });
          return ((await res.json()) as { errors: { message: string }[] }).errors[0]!.message;
        };
        expect(await detail("http://example.com/")).toMatch(/https/);
        expect(await detail("https://internal.example/")).toMatch(/10\.0\.0\.5.*not a public address/);
        expect(await detail("https://nowhere.example/")).toMatch(/does not resolve/);
        expect(await detail("https://169.254.169.254/")).toMatch(/metadata/);
      },
      { resolveHost: dns },
    ));

  test("delivery refuses a name that now resolves to a private address, without sending, and records why", () =>
    withApp(
      backend,
      async (ctx) => {
        const res = await ctx.request("POST", "/v1/webhooks", { json: { url: "https://public.example/hook", eventTypes: ["release.halted"] } });
        expect(res.status).toBe(201);
        const { id } = (await res.json()) as { id: number };
        await enqueueWebhookEvent(ctx.db, "release.halted", [{ version: "2026.44.1" }], t0);

        // DNS rebinding: the same name now points inside.
        const rebound = resolverOf({ "public.example": ["93.184.215.14", "169.254.169.254"] });
        const { fetch, calls } = forbiddenFetch();
        expect(await deliverDueWebhooks({ db: ctx.db, now: t0, resolve: rebound, fetch })).toEqual({ delivered: 0, failed: 1 });
        expect(calls).toEqual([]);
        const [delivery] = await deliveriesOf(ctx.db, id);
        expect(delivery).toMatchObject({ attempts: 1, delivered: false });
        expect(delivery!.last_error).toMatch(/^not sent: public\.example: 169\.254\.169\.254 is a cloud metadata address/);
      },
      { resolveHost: dns },
    ));

  test("delivery is strict by default: a stored internal URL is never sent to", () =>
    withApp(
      backend,
      async (ctx) => {
        const receiver = await startReceiver();
        // Subscribed while the policy allowed local receivers (this app's config)…
        const res = await ctx.request("POST", "/v1/webhooks", { json: { url: receiver.url, eventTypes: ["release.paused"] } });
        expect(res.status).toBe(201);
        const { id } = (await res.json()) as { id: number };
        await enqueueWebhookEvent(ctx.db, "release.paused", [{ version: "2026.44.1" }], t0);

        // …delivered by a worker with the default policy: refused before connecting.
        expect(await deliverDueWebhooks({ db: ctx.db, now: t0 })).toEqual({ delivered: 0, failed: 1 });
        expect(receiver.received).toHaveLength(0);
        expect((await deliveriesOf(ctx.db, id))[0]!.last_error).toMatch(/^not sent: must be an https:\/\/ URL/);
        // Plain http alone does not open the way to loopback.
        const httpOnly = { allowPrivate: false, allowHttp: true };
        expect(await deliverDueWebhooks({ db: ctx.db, now: new Date(t0.getTime() + 60_000), targets: httpOnly })).toEqual({ delivered: 0, failed: 1 });
        expect((await deliveriesOf(ctx.db, id))[0]!.last_error).toMatch(/^not sent: 127\.0\.0\.1 is not a public address \(loopback\)/);
        expect(receiver.received).toHaveLength(0);

        // The same delivery goes out once the worker is told local receivers are allowed.
        expect(await deliverDueWebhooks({ db: ctx.db, now: new Date(t0.getTime() + 3600_000), targets: localReceivers })).toEqual({ delivered: 1, failed: 0 });
        expect(receiver.received).toHaveLength(1);
      },
      { config: { webhookTargets: localReceivers } },
    ));

  test("a redirect is a failure and is not followed", () =>
    withApp(
      backend,
      async (ctx) => {
        const inside = await startReceiver();
        const redirecting = await startReceiver(() => [307, { location: inside.url }]);
        const res = await ctx.request("POST", "/v1/webhooks", { json: { url: redirecting.url, eventTypes: ["release.paused"] } });
        const { id } = (await res.json()) as { id: number };
        await enqueueWebhookEvent(ctx.db, "release.paused", [{ version: "2026.44.1" }], t0);

        expect(await deliverDueWebhooks({ db: ctx.db, now: t0, targets: localReceivers })).toEqual({ delivered: 0, failed: 1 });
        expect(redirecting.received).toHaveLength(1);
        expect(inside.received).toHaveLength(0);
        expect((await deliveriesOf(ctx.db, id))[0]!.last_error).toMatch(/^HTTP 307/);
      },
      { config: { webhookTargets: localReceivers } },
    ));
});

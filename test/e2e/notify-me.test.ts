// "Notify me" on the owner page in Chromium, against the real server: the page
// registers the service worker at the root and sends the browser's
// subscription, and the service worker shows what a push message says.
//
// Headless Chromium has no push service to reach from here: its
// pushManager.subscribe fails ("Registration failed - permission denied",
// tried with the notifications permission granted). So the page's
// PushManager is stubbed in the page only, answering a subscription whose
// keys the test made; everything else (permission, service worker,
// VAPID key, the POST, the server) is real. The push itself is delivered to
// the real service worker through the DevTools protocol.
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import type { PushKey } from "../../src/routes/push/push.schemas";
import { browserKeys } from "../helpers/push-service";
import { errorsIn, hasChromium, type launchBrowser, withServerAndBrowser } from "./browser";
import { seedRollout } from "./rollout-data";
import type { Server } from "./server";

// A public address (so the server accepts it) that nothing here ever sends to: no delivery runs in these tests' time.
const endpoint = "https://1.2.3.4/push/e2e-browser";

/** Replaces PushManager's subscribe/getSubscription in the page with one that answers `keys`, and records the applicationServerKey it was given. */
async function stubPushManager(page: Page, keys: { p256dh: string; auth: string }) {
  await page.addInitScript(
    ({ endpoint, keys }) => {
      const state = window as unknown as { subscribedWith?: string; subscription?: object | null };
      const subscription = { endpoint, expirationTime: null, toJSON: () => ({ endpoint, expirationTime: null, keys }), unsubscribe: () => Promise.resolve(true) };
      state.subscription = null;
      PushManager.prototype.subscribe = function (options?: PushSubscriptionOptionsInit) {
        const key = new Uint8Array(options?.applicationServerKey as ArrayBuffer);
        state.subscribedWith = btoa(String.fromCharCode(...key)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
        state.subscription = subscription;
        return Promise.resolve(subscription as unknown as PushSubscription);
      };
      PushManager.prototype.getSubscription = () => Promise.resolve((state.subscription ?? null) as PushSubscription | null);
    },
    { endpoint, keys },
  );
}

describe.runIf(hasChromium)("notify me in Chromium", () => {
  let server: Server;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  withServerAndBrowser((s, b) => {
    [server, browser] = [s, b];
  });

  test("the owner turns on notifications: the service worker is registered at the root, a well-formed subscription is sent, a push shows a notification", async () => {
    const rollout = await seedRollout(server, 40);
    const { keys } = browserKeys();
    const page = await browser.page({ locale: "nl-NL", permissions: ["notifications"] });
    await stubPushManager(page, keys);
    await page.goto(`${server.base}/t/${rollout.owner.code}`);
    const button = page.getByRole("button", { name: "Houd me op de hoogte" });
    await button.waitFor({ timeout: 15_000 });

    const posted = page.waitForRequest((r) => r.method() === "POST" && r.url().endsWith(`/v1/track/${rollout.owner.code}/subscriptions`));
    const answered = page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith("/subscriptions"));
    await button.click();
    const body = (await posted).postDataJSON() as Record<string, unknown>;
    expect(body).toEqual({ endpoint, expirationTime: null, keys, lang: "nl" });
    expect((await answered).status()).toBe(201);
    const { id } = (await (await answered).json()) as { id: number };
    await page.getByText("Meldingen staan aan voor deze browser.").waitFor();
    await page.getByRole("button", { name: "Meldingen uitzetten" }).waitFor();

    // Subscribed with the server's VAPID key, by a service worker whose scope is the whole site.
    const { data: vapid } = await server.api<PushKey>("GET", "/v1/push/key");
    expect(await page.evaluate(() => (window as unknown as { subscribedWith?: string }).subscribedWith)).toBe(vapid.publicKey);
    const registration = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      return { scope: reg.scope, script: reg.active?.scriptURL };
    });
    expect(registration).toEqual({ scope: `${server.base}/`, script: `${server.base}/service-worker.js` });
    // The page it subscribed from is kept in this browser, under the subscription id, for the notification's click.
    const kept = await page.evaluate(async (id) => (await (await caches.open("notify-me-pages")).match(`/notify-me/${id}`))?.text(), id);
    expect(kept).toBe(`/t/${rollout.owner.code}`);

    // A push message reaches the real service worker, which shows it.
    const cdp = await page.context().newCDPSession(page);
    const registrationId = new Promise<string>((resolve) => {
      cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }: { registrations: { registrationId: string; scopeURL: string }[] }) => {
        const found = registrations.find((r) => r.scopeURL === `${server.base}/`);
        if (found) resolve(found.registrationId);
      });
    });
    await cdp.send("ServiceWorker.enable");
    const message = { title: "Update 2026.44.1", body: "De update staat klaar voor uw auto.", tag: "rollout-2026.44.1", event: "offered", subscription: id };
    await cdp.send("ServiceWorker.deliverPushMessage", { origin: server.base, registrationId: await registrationId, data: JSON.stringify(message) });
    await expect
      .poll(async () => page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data as unknown }))), { timeout: 10_000 })
      .toEqual([{ title: message.title, body: message.body, tag: message.tag, data: { subscription: id } }]);

    // And off again: the server forgets it.
    const deleted = page.waitForResponse((r) => r.request().method() === "DELETE" && r.url().endsWith(`/subscriptions/${id}`));
    await page.getByRole("button", { name: "Meldingen uitzetten" }).click();
    expect((await deleted).status()).toBe(204);
    await page.getByText("Meldingen staan uit.").waitFor();
    expect(errorsIn(page)).toEqual([]);
    await page.context().close();
  }, 90_000);

  test("a share link is not offered notifications (only the owner's own code may subscribe)", async () => {
    const rollout = await seedRollout(server, 40);
    const link = await server.api<{ code: string }>("POST", `/v1/vehicles/${rollout.owner.vin}/share-links`, { key: rollout.supportKey, json: { expiresInHours: 2 } });
    const page = await browser.page({ locale: "en-US", permissions: ["notifications"] });
    await stubPushManager(page, browserKeys().keys);
    await page.goto(`${server.base}/t/${link.data.code}`);
    // Once the status is shown (the shared-link note comes with it), the button is not there.
    await page.getByText("Support shared this link with you").waitFor({ timeout: 15_000 });
    expect(await page.getByRole("button", { name: "Notify me" }).count()).toBe(0);
    // The owner's own page offers it.
    await page.goto(`${server.base}/t/${rollout.owner.code}`);
    await page.getByRole("button", { name: "Notify me" }).waitFor({ timeout: 15_000 });
    await page.context().close();
  }, 90_000);
});

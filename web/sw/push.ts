// Push messages for the owner page's "notify me" (web/owner/notify-me.ts).
// The server sends `{title, body, tag, event, subscription}` and never the
// tracking code or a URL; the page that subscribed left its own address in
// the Cache API under its subscription id, so a click opens that page again.

// The project's TypeScript lib is DOM (the pages); a service worker's own
// types (WebWorker lib) would clash with it, so the few used here are spelled out.
type ExtendableEvent = Event & { waitUntil(promise: Promise<unknown>): void };
type PushEvent = ExtendableEvent & { data: { json(): unknown } | null };
type NotificationEvent = ExtendableEvent & { notification: Notification };
type WindowClient = { url: string; focus(): Promise<unknown> };
export type PushWorkerScope = {
  registration: ServiceWorkerRegistration;
  clients: { matchAll(options: { type: "window"; includeUncontrolled: boolean }): Promise<WindowClient[]>; openWindow(url: string): Promise<unknown> };
  location: Location;
  addEventListener(type: "push", listener: (event: PushEvent) => void): void;
  addEventListener(type: "notificationclick", listener: (event: NotificationEvent) => void): void;
};

/** Where notify-me.ts keeps, per subscription id, the page that subscribed. */
export const pageCacheName = "notify-me-pages";
export const pageKey = (subscription: number) => `/notify-me/${subscription}`;

type PushNotification = { title: string; body: string; tag?: string; subscription?: number };

function readMessage(event: PushEvent): PushNotification | null {
  try {
    // json() is untyped: read as maybe-partial, and the fields shown are checked before use.
    const data = event.data?.json() as Partial<PushNotification> | undefined;
    return data && typeof data.title === "string" && typeof data.body === "string" ? { ...data, title: data.title, body: data.body } : null;
  } catch {
    return null;
  }
}

/** The page to open for a subscription's message: the one that subscribed, else the landing page. */
async function pageOf(subscription: unknown): Promise<string> {
  if (typeof subscription !== "number") return "/";
  const stored = await (await caches.open(pageCacheName)).match(pageKey(subscription));
  const page = stored ? await stored.text() : "/";
  // Only a path of this site: nothing stored may send the click elsewhere.
  return page.startsWith("/") && !page.startsWith("//") ? page : "/";
}

async function openPage(scope: PushWorkerScope, subscription: unknown) {
  const url = new URL(await pageOf(subscription), scope.location.origin).href;
  const open = (await scope.clients.matchAll({ type: "window", includeUncontrolled: true })).find((c) => c.url === url);
  return open ? open.focus() : scope.clients.openWindow(url);
}

export function handlePush(scope: PushWorkerScope): void {
  scope.addEventListener("push", (event) => {
    const message = readMessage(event);
    if (!message) return;
    event.waitUntil(
      scope.registration.showNotification(message.title, {
        body: message.body,
        tag: message.tag,
        icon: "/assets/favicon.svg",
        data: { subscription: message.subscription },
      }),
    );
  });
  scope.addEventListener("notificationclick", (event) => {
    event.notification.close();
    // Notification data is whatever the push handler above stored: `{ subscription }`; pageOf checks the id's type.
    const data = event.notification.data as { subscription?: unknown } | null;
    event.waitUntil(openPage(scope, data?.subscription));
  });
}

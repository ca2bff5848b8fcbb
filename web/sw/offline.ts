// Offline: when the server cannot be reached, a page load shows our offline
// page in the reader's language instead of the browser's error page. Only
// navigations fall back; the API is never answered from a cache, so no page
// ever shows a stale status as if it were current.
import { type FetchEvent, scope } from "./worker-scope";

// Filled in by web/build.ts: the offline page and the hashed files it loads, and a build id.
declare const __PRECACHE__: string[];
declare const __BUILD__: string;

const cacheName = `offline-${__BUILD__}`;
const offlinePage = "/offline";

export function serveOfflinePage(): void {
  scope.addEventListener("install", (event) => {
    event.waitUntil(caches.open(cacheName).then((cache) => cache.addAll(__PRECACHE__)));
    // A new build's offline page replaces the old one at once; it never changes how pages load online.
    void scope.skipWaiting();
  });
  scope.addEventListener("activate", (event) => {
    event.waitUntil(dropOtherBuilds().then(() => scope.clients.claim()));
  });
  scope.addEventListener("fetch", (event) => {
    if (event.request.method !== "GET") return;
    if (event.request.mode === "navigate") return event.respondWith(pageOrOffline(event));
    // The offline page's own files, from the cache (their names are hashed: never stale).
    const path = new URL(event.request.url).pathname;
    if (__PRECACHE__.includes(path)) event.respondWith(cachedOrFetched(event.request));
  });
}

async function pageOrOffline(event: FetchEvent): Promise<Response> {
  try {
    return await fetch(event.request);
  } catch (error) {
    const offline = await caches.match(offlinePage, { cacheName });
    if (offline) return offline;
    throw error;
  }
}

async function cachedOrFetched(request: Request): Promise<Response> {
  return (await caches.match(request, { cacheName })) ?? fetch(request);
}

async function dropOtherBuilds(): Promise<void> {
  for (const name of await caches.keys()) if (name.startsWith("offline-") && name !== cacheName) await caches.delete(name);
}

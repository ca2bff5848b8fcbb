// Registers /service-worker.js (web/service-worker.ts) for the pages that want
// an offline page. Failing to register only loses that: the page works as before.
export function registerServiceWorker(): void {
  if (!("serviceWorker" in navigator)) return;
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/service-worker.js").catch((error: unknown) => console.warn("service worker not registered:", error));
  });
}

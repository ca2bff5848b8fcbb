// Registers /service-worker.js (web/service-worker.ts) for the pages that want
// an offline page. Failing to register only loses that: the page works as before.
export function registerServiceWorker(): void {
  if (!("serviceWorker" in navigator)) return;
  const register = () => void navigator.serviceWorker.register("/service-worker.js").catch((error: unknown) => console.warn("service worker not registered:", error));
  // Installing the worker fetches and caches the page's files: a ~100 ms task on a
  // phone that ran right at load, while the owner's first tap waited behind it.
  // It waits for the first idle moment after load instead (a timer where there is no
  // requestIdleCallback, as on older Safari).
  window.addEventListener("load", () => {
    if ("requestIdleCallback" in window) requestIdleCallback(register, { timeout: 3000 });
    else setTimeout(register, 1000);
  });
}

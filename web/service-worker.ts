// The site's service worker (served as /service-worker.js, scope /): the
// offline page and Web Push. Each concern lives in web/sw/; this file only installs them.
import { serveOfflinePage } from "./sw/offline";
import { type PushWorkerScope, handlePush } from "./sw/push";

serveOfflinePage();
// In a service worker `self` is its global scope; the DOM lib types it as Window.
handlePush(self as unknown as PushWorkerScope);

// The site's service worker (served as /service-worker.js, scope /). Each
// concern lives in web/sw/; this file only installs them.
import { type PushWorkerScope, handlePush } from "./sw/push";

// In a service worker `self` is its global scope; the DOM lib types it as Window.
handlePush(self as unknown as PushWorkerScope);

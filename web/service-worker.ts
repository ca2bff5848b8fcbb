// The service worker, built to /service-worker.js so that its scope is the
// whole site. Each concern lives in web/sw/ and registers its own handlers.
import { serveOfflinePage } from "./sw/offline";

serveOfflinePage();

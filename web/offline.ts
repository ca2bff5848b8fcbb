// The offline page (`/offline`, shown by the service worker when the server
// cannot be reached): entry point of assets/offline.js. Its language is the
// owner's choice, else what the browser prefers, as on the owner page.
import { byId } from "./lib/dom";
import { initialLocale, Translator } from "./owner/i18n";
import { offlineMessages } from "./offline/messages";

const t = new Translator(initialLocale());
const words = offlineMessages[t.locale];

document.documentElement.lang = t.locale;
document.title = words.title.replace("{appName}", t.t("appName"));
byId("brand").textContent = t.t("appName");
byId("skip").textContent = t.t("skipToContent");
byId("offline-heading").textContent = words.heading;
byId("offline-body").textContent = words.body;
const retry = byId("retry");
retry.textContent = words.retry;
retry.addEventListener("click", () => window.location.reload());
// Back online: load what the reader asked for.
window.addEventListener("online", () => window.location.reload());

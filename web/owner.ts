// The owner page (`/` and `/t/{code}`): entry point of assets/owner.js.
import { byId } from "./lib/dom";
import { registerServiceWorker } from "./lib/service-worker";
import type { Locale } from "./lib/locale-negotiation";
import { renderCodeForm } from "./owner/code-form";
import { formattingTag, initialLocale, rememberLocale, Translator } from "./owner/i18n";
import { renderLanguageSwitch } from "./owner/language-switch";
import { codeFromLocation } from "./owner/track-api";
import { TrackerPage } from "./owner/tracker-page";

const main = byId("main");
const code = codeFromLocation(window.location);
const translator = (locale: Locale) => new Translator(locale, formattingTag(locale));
let t = translator(initialLocale());
let page: TrackerPage | null = null;

function applyLocale(): void {
  document.documentElement.lang = t.locale;
  document.title = t.t("appName");
  byId("brand").textContent = t.t("appName");
  byId("skip").textContent = t.t("skipToContent");
  renderLanguageSwitch(byId("language"), t, choose);
  if (page) page.setTranslator(t);
  else if (!code) main.replaceChildren(renderCodeForm(t));
}

function choose(locale: Locale): void {
  rememberLocale(locale);
  t = translator(locale);
  applyLocale();
  // Keep keyboard users on the switch they just used.
  byId("language").querySelector<HTMLButtonElement>(`button[lang="${locale}"]`)?.focus();
}

if (code) page = new TrackerPage(main, code, t);
applyLocale();
// Offline, a fresh load shows our offline page instead of the browser's error page.
registerServiceWorker();

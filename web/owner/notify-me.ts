// "Notify me": subscribes this browser (Web Push) to the owner's
// notifications. The server never stores the code nor a page URL: this page
// keeps its own address under the subscription id in the Cache API, where the
// service worker (web/sw/push.ts) finds it when a notification is clicked.
import type { CreatePushSubscription, CreatedPushSubscription, PushKey } from "../../src/routes/push/push.schemas";
import { ApiProblem, apiFetch } from "../lib/api";
import { h } from "../lib/dom";
import type { Locale } from "../lib/locale-negotiation";
import { pageCacheName, pageKey } from "../sw/push";
import type { Translator } from "./i18n";

const words: Record<Locale, Record<"heading" | "intro" | "turnOn" | "turnOff" | "on" | "off" | "blocked" | "ownerOnly" | "failed", string>> = {
  en: {
    heading: "Notify me",
    intro: "Get a notification in this browser when your wave starts, the update is ready, the rollout pauses or the expected time changes.",
    turnOn: "Notify me",
    turnOff: "Stop notifications",
    on: "Notifications are on for this browser.",
    off: "Notifications are off.",
    blocked: "This browser blocks notifications for this site. Allow them in the browser's settings and try again.",
    ownerOnly: "Only the owner's own tracking link can turn on notifications.",
    failed: "Notifications could not be turned on: {detail}",
  },
  nl: {
    heading: "Houd me op de hoogte",
    intro: "Krijg een melding in deze browser als uw golf begint, de update klaarstaat, de uitrol pauzeert of de verwachte tijd verandert.",
    turnOn: "Houd me op de hoogte",
    turnOff: "Meldingen uitzetten",
    on: "Meldingen staan aan voor deze browser.",
    off: "Meldingen staan uit.",
    blocked: "Deze browser blokkeert meldingen voor deze site. Sta ze toe in de instellingen van de browser en probeer het opnieuw.",
    ownerOnly: "Alleen de eigen volglink van de eigenaar kan meldingen aanzetten.",
    failed: "Meldingen konden niet worden aangezet: {detail}",
  },
  de: {
    heading: "Benachrichtigen",
    intro: "Erhalten Sie in diesem Browser eine Benachrichtigung, wenn Ihre Welle beginnt, das Update bereitsteht, die Verteilung pausiert oder sich die erwartete Zeit ändert.",
    turnOn: "Benachrichtigen",
    turnOff: "Benachrichtigungen beenden",
    on: "Benachrichtigungen sind für diesen Browser aktiv.",
    off: "Benachrichtigungen sind aus.",
    blocked: "Dieser Browser blockiert Benachrichtigungen für diese Seite. Erlauben Sie sie in den Browser-Einstellungen und versuchen Sie es erneut.",
    ownerOnly: "Nur der eigene Tracking-Link des Besitzers kann Benachrichtigungen aktivieren.",
    failed: "Benachrichtigungen konnten nicht aktiviert werden: {detail}",
  },
};

const subscriptionsPath = (code: string) => `/v1/track/${encodeURIComponent(code)}/subscriptions`;

/** The VAPID key as pushManager.subscribe wants it (bytes, from base64url). */
function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0));
}

/** The subscription id this page made earlier in this browser, if any. */
async function subscribedId(): Promise<number | null> {
  const cache = await caches.open(pageCacheName);
  for (const request of await cache.keys()) {
    const page = await (await cache.match(request))?.text();
    const id = Number(new URL(request.url).pathname.split("/").pop());
    if (page === location.pathname && Number.isInteger(id)) return id;
  }
  return null;
}

async function turnOn(code: string, locale: Locale): Promise<number> {
  const registration = await navigator.serviceWorker.register("/service-worker.js", { scope: "/" });
  await navigator.serviceWorker.ready;
  const { publicKey } = (await apiFetch<PushKey>("/v1/push/key")).data;
  const subscription =
    (await registration.pushManager.getSubscription()) ??
    (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) }));
  const json = subscription.toJSON();
  const body: CreatePushSubscription = {
    endpoint: json.endpoint ?? subscription.endpoint,
    expirationTime: json.expirationTime ?? null,
    keys: { p256dh: json.keys?.p256dh ?? "", auth: json.keys?.auth ?? "" },
    lang: locale,
  };
  const { id } = (await apiFetch<CreatedPushSubscription>(subscriptionsPath(code), { method: "POST", body })).data;
  await (await caches.open(pageCacheName)).put(pageKey(id), new Response(location.pathname));
  return id;
}

async function turnOff(code: string, id: number): Promise<void> {
  await apiFetch(`${subscriptionsPath(code)}/${id}`, { method: "DELETE" }).catch((error: unknown) => {
    // Already gone on the server (404): off is off.
    if (!(error instanceof ApiProblem && error.status === 404)) throw error;
  });
  await (await caches.open(pageCacheName)).delete(pageKey(id));
}

/** The "notify me" card, or nothing in a browser without Web Push. */
export function renderNotifyMe(code: string, t: Translator): HTMLElement | null {
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window) || !("caches" in window)) return null;
  const w = words[t.locale];
  const status = h("p", { class: "notify-status", role: "status" });
  const button = h("button", { type: "button", class: "secondary", id: "notify-me" }, w.turnOn);
  let current: number | null = null;
  const show = (id: number | null, message?: string) => {
    current = id;
    button.textContent = id === null ? w.turnOn : w.turnOff;
    status.textContent = message ?? (id === null ? "" : w.on);
  };
  void subscribedId().then((id) => show(id), () => show(null));
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      if (current !== null) return show(await turnOff(code, current).then(() => null), w.off);
      if ((await Notification.requestPermission()) !== "granted") return show(null, w.blocked);
      show(await turnOn(code, t.locale));
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 403) show(null, w.ownerOnly);
      else show(current, w.failed.replace("{detail}", error instanceof ApiProblem ? error.describe() : String(error)));
    } finally {
      button.disabled = false;
    }
  });
  return h("section", { class: "card notify-me", "aria-labelledby": "notify-title" }, h("h2", { id: "notify-title" }, w.heading), h("p", {}, w.intro), button, status);
}

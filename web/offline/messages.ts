// The offline page's words; the page shows them without reaching the server.
import type { Locale } from "../lib/locale-negotiation";

// The site name and skip link come from the owner page's catalogs, so both pages name the site alike.
export type OfflineMessages = { title: string; heading: string; body: string; retry: string };

export const offlineMessages: Record<Locale, OfflineMessages> = {
  en: {
    title: "Offline · {appName}",
    heading: "You are offline",
    body: "We cannot reach the update tracker right now. Check your connection; this page tries again by itself when you are back online.",
    retry: "Try again",
  },
  nl: {
    title: "Offline · {appName}",
    heading: "Je bent offline",
    body: "We kunnen de updatevolger nu niet bereiken. Controleer je verbinding; deze pagina probeert het vanzelf opnieuw zodra je weer online bent.",
    retry: "Opnieuw proberen",
  },
  de: {
    title: "Offline · {appName}",
    heading: "Sie sind offline",
    body: "Die Update-Verfolgung ist gerade nicht erreichbar. Prüfen Sie Ihre Verbindung; diese Seite versucht es von selbst erneut, sobald Sie wieder online sind.",
    retry: "Erneut versuchen",
  },
};

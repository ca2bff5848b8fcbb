import type { Locale } from "./locale-negotiation";
import { type LocalizedText, pickLocalized } from "./localized-text";

// What an owner's browser is told, in the subscriber's language. Short: a
// notification shows two lines; the page behind the click says the rest.

export const pushEvents = ["wave_opened", "offered", "paused", "resumed", "halted", "installed", "failed", "eta_moved"] as const;
export type PushEvent = (typeof pushEvents)[number];

/** What the outbox keeps of an event; the words are chosen at sending, in the subscriber's language. */
export type PushEventData = { version: string; wave?: number; message?: LocalizedText | null };

export type PushMessage = { title: string; body: string };

type Words = { title: (version: string) => string; body: Record<PushEvent, (d: PushEventData) => string> };

const withNotice = (text: string, notice: string | undefined) => (notice ? `${text} ${notice}` : text);

const words: Record<Locale, Words> = {
  en: {
    title: (v) => `Update ${v}`,
    body: {
      wave_opened: (d) => `Your wave${d.wave ? ` (${d.wave})` : ""} has started. Your car gets the update soon.`,
      offered: () => "The update is ready for your car.",
      paused: () => "The rollout is paused. Your place in line is kept.",
      resumed: () => "The rollout continues. Your place in line is unchanged.",
      halted: () => "The rollout has been stopped. Your car stays on its current version.",
      installed: () => "The update is installed.",
      failed: () => "The install did not succeed. It will be tried again; nothing is needed from you.",
      eta_moved: () => "The expected time for your update has changed.",
    },
  },
  nl: {
    title: (v) => `Update ${v}`,
    body: {
      wave_opened: (d) => `Uw golf${d.wave ? ` (${d.wave})` : ""} is begonnen. Uw auto krijgt de update binnenkort.`,
      offered: () => "De update staat klaar voor uw auto.",
      paused: () => "De uitrol is gepauzeerd. Uw plek in de rij blijft behouden.",
      resumed: () => "De uitrol gaat verder. Uw plek in de rij is ongewijzigd.",
      halted: () => "De uitrol is gestopt. Uw auto blijft op de huidige versie.",
      installed: () => "De update is geïnstalleerd.",
      failed: () => "De installatie is niet gelukt. Het wordt opnieuw geprobeerd; u hoeft niets te doen.",
      eta_moved: () => "De verwachte tijd voor uw update is veranderd.",
    },
  },
  de: {
    title: (v) => `Update ${v}`,
    body: {
      wave_opened: (d) => `Ihre Welle${d.wave ? ` (${d.wave})` : ""} hat begonnen. Ihr Auto bekommt das Update bald.`,
      offered: () => "Das Update steht für Ihr Auto bereit.",
      paused: () => "Die Verteilung ist pausiert. Ihr Platz in der Reihe bleibt erhalten.",
      resumed: () => "Die Verteilung geht weiter. Ihr Platz in der Reihe ist unverändert.",
      halted: () => "Die Verteilung wurde gestoppt. Ihr Auto bleibt auf der aktuellen Version.",
      installed: () => "Das Update ist installiert.",
      failed: () => "Die Installation ist nicht gelungen. Sie wird erneut versucht; Sie müssen nichts tun.",
      eta_moved: () => "Die erwartete Zeit für Ihr Update hat sich geändert.",
    },
  },
};

/** The notification for `event` in `locale`; a public notice (pause, halt) follows in the same language. */
export function pushMessage(event: PushEvent, data: PushEventData, locale: Locale): PushMessage {
  const w = words[locale];
  const notice = data.message ? pickLocalized(data.message, locale) : undefined;
  return { title: w.title(data.version), body: withNotice(w.body[event](data), notice) };
}

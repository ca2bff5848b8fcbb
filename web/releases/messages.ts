// The public rollout page's words in English, Dutch and German.
import type { Locale } from "../lib/locale-negotiation";

const en = {
  title: "How the rollout is going",
  brand: "Update tracker",
  skip: "Skip to content",
  languageLabel: "Language",
  intro: "Updates reach cars in waves, a few at first and then more, so a problem found early reaches few cars. If your car does not have an update yet, its turn has most likely not come.",
  ownerLink: "Track your own car",
  loading: "Loading…",
  failed: "The rollout status cannot be loaded right now. We will try again shortly.",
  stale: "Showing the status of {time}; reconnecting…",
  updated: "Updated {time}",
  none: "No update is rolling out right now.",
  releasesHeading: "Updates rolling out",
  channel_stable: "Stable",
  channel_beta: "Beta",
  state_rolling_out: "Rolling out",
  state_paused: "Paused",
  state_completed: "Completed",
  state_halted: "Stopped",
  state_draft: "Not started",
  wave: "Wave {index} of {of}: {name}",
  noWaveYet: "No wave has opened yet.",
  offered: "Offered to {percent} of the cars in line",
  installed: "Installed on {percent}",
  startedOn: "Started {date}",
  completedOn: "Completed {date}",
  waveTable: "Waves of {version}",
  colWave: "Wave",
  colReach: "up to {percent} of the cars",
  colOffered: "Offered",
  colInstalled: "Installed",
  waveState_pending: "not yet",
  waveState_active: "now",
  waveState_done: "done",
  chartLabel: "Percent offered and installed per wave of {version}",
  fleetHeading: "Firmware in the fleet",
  fleetIntro: "Share of {vehicles} registered cars on each firmware version. Groups of fewer than 20 cars are counted as “other”.",
  byModel: "By model",
  byRegion: "By region",
  allVersions: "All cars",
  other: "other",
  fleetChartLabel: "Firmware versions {by}",
  notes: "What's new",
} as const;

export type MessageKey = keyof typeof en;
type Messages = Record<MessageKey, string>;

const nl: Messages = {
  title: "Hoe de uitrol verloopt",
  brand: "Update-tracker",
  skip: "Naar de inhoud",
  languageLabel: "Taal",
  intro: "Updates bereiken auto's in golven, eerst een paar en dan meer, zodat een vroeg gevonden probleem weinig auto's raakt. Heeft uw auto een update nog niet, dan is hij waarschijnlijk nog niet aan de beurt.",
  ownerLink: "Volg uw eigen auto",
  loading: "Laden…",
  failed: "De stand van de uitrol kan nu niet worden geladen. We proberen het zo opnieuw.",
  stale: "Stand van {time}; opnieuw verbinden…",
  updated: "Bijgewerkt {time}",
  none: "Er wordt nu geen update uitgerold.",
  releasesHeading: "Updates in uitrol",
  channel_stable: "Stabiel",
  channel_beta: "Bèta",
  state_rolling_out: "Wordt uitgerold",
  state_paused: "Gepauzeerd",
  state_completed: "Afgerond",
  state_halted: "Gestopt",
  state_draft: "Niet gestart",
  wave: "Golf {index} van {of}: {name}",
  noWaveYet: "Er is nog geen golf geopend.",
  offered: "Aangeboden aan {percent} van de wachtende auto's",
  installed: "Geïnstalleerd op {percent}",
  startedOn: "Gestart {date}",
  completedOn: "Afgerond {date}",
  waveTable: "Golven van {version}",
  colWave: "Golf",
  colReach: "tot {percent} van de auto's",
  colOffered: "Aangeboden",
  colInstalled: "Geïnstalleerd",
  waveState_pending: "nog niet",
  waveState_active: "nu",
  waveState_done: "klaar",
  chartLabel: "Percentage aangeboden en geïnstalleerd per golf van {version}",
  fleetHeading: "Firmware in de vloot",
  fleetIntro: "Aandeel van {vehicles} geregistreerde auto's per firmwareversie. Groepen van minder dan 20 auto's tellen als „overig”.",
  byModel: "Per model",
  byRegion: "Per regio",
  allVersions: "Alle auto's",
  other: "overig",
  fleetChartLabel: "Firmwareversies {by}",
  notes: "Wat is er nieuw",
};

const de: Messages = {
  title: "Wie das Update verteilt wird",
  brand: "Update-Tracker",
  skip: "Zum Inhalt",
  languageLabel: "Sprache",
  intro: "Updates erreichen die Fahrzeuge in Wellen, zuerst wenige, dann mehr, damit ein früh gefundenes Problem nur wenige trifft. Hat Ihr Fahrzeug ein Update noch nicht, ist es wahrscheinlich noch nicht an der Reihe.",
  ownerLink: "Ihr eigenes Fahrzeug verfolgen",
  loading: "Wird geladen…",
  failed: "Der Stand kann gerade nicht geladen werden. Wir versuchen es gleich erneut.",
  stale: "Stand von {time}; Verbindung wird wiederhergestellt…",
  updated: "Aktualisiert {time}",
  none: "Derzeit wird kein Update verteilt.",
  releasesHeading: "Updates in Verteilung",
  channel_stable: "Stabil",
  channel_beta: "Beta",
  state_rolling_out: "Wird verteilt",
  state_paused: "Pausiert",
  state_completed: "Abgeschlossen",
  state_halted: "Gestoppt",
  state_draft: "Nicht gestartet",
  wave: "Welle {index} von {of}: {name}",
  noWaveYet: "Noch keine Welle geöffnet.",
  offered: "{percent} der wartenden Fahrzeuge angeboten",
  installed: "Auf {percent} installiert",
  startedOn: "Gestartet {date}",
  completedOn: "Abgeschlossen {date}",
  waveTable: "Wellen von {version}",
  colWave: "Welle",
  colReach: "bis {percent} der Fahrzeuge",
  colOffered: "Angeboten",
  colInstalled: "Installiert",
  waveState_pending: "noch nicht",
  waveState_active: "jetzt",
  waveState_done: "fertig",
  chartLabel: "Prozent angeboten und installiert je Welle von {version}",
  fleetHeading: "Firmware in der Flotte",
  fleetIntro: "Anteil von {vehicles} registrierten Fahrzeugen je Firmwareversion. Gruppen unter 20 Fahrzeugen zählen als „sonstige“.",
  byModel: "Nach Modell",
  byRegion: "Nach Region",
  allVersions: "Alle Fahrzeuge",
  other: "sonstige",
  fleetChartLabel: "Firmwareversionen {by}",
  notes: "Was ist neu",
};

const catalogs: Record<Locale, Messages> = { en, nl, de };

/** The page's words, numbers and dates in one language (24-hour times outside en-US). */
export function wordsFor(locale: Locale) {
  const messages = catalogs[locale];
  // The reader's own regional variant when it is of this language (en-GB reads 24-hour, en-US 12-hour).
  const regional = (navigator.languages ?? [navigator.language]).find((tag) => tag.toLowerCase().startsWith(locale)) ?? locale;
  const percent = new Intl.NumberFormat(regional, { style: "percent", maximumFractionDigits: 1 });
  const number = new Intl.NumberFormat(regional);
  const date = new Intl.DateTimeFormat(regional, { day: "numeric", month: "short", year: "numeric" });
  const time = new Intl.DateTimeFormat(regional, { hour: "numeric", minute: "2-digit" });
  return {
    locale,
    t(key: MessageKey, params: Record<string, string | number> = {}) {
      return messages[key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
    },
    percent: (value: number) => percent.format(value / 100),
    number: (value: number) => number.format(value),
    date: (iso: string) => date.format(new Date(iso)),
    time: (at: Date) => time.format(at),
  };
}

export type Words = ReturnType<typeof wordsFor>;

// Which language the owner sees and how text, numbers and dates read in it.
// Order of preference: the owner's own choice (the switch), then what the
// server negotiated from Accept-Language, then the browser's language list.
import { type Locale, isLocale, negotiateLocale } from "../lib/locale-negotiation";
import { de } from "./messages-de";
import { type MessageKey, type Messages, en } from "./messages-en";
import { nl } from "./messages-nl";

const catalogs: Record<Locale, Messages> = { en, nl, de };
const choiceKey = "rollout-tracker.locale";

export const languageNames: Record<Locale, string> = { en: "English", nl: "Nederlands", de: "Deutsch" };

export function initialLocale(): Locale {
  const chosen = safeStorage()?.getItem(choiceKey);
  if (isLocale(chosen)) return chosen;
  const negotiated = document.documentElement.dataset.negotiated;
  if (isLocale(negotiated)) return negotiated;
  return negotiateLocale(navigator.languages?.join(",") || navigator.language || "en");
}

export function rememberLocale(locale: Locale): void {
  safeStorage()?.setItem(choiceKey, locale);
}

// Storage can be disabled (private modes, strict settings): the page still works.
function safeStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

type Param = string | number;

export class Translator {
  private readonly numbers: Intl.NumberFormat;
  private readonly dates: Intl.DateTimeFormat;
  private readonly times: Intl.DateTimeFormat;
  private readonly plurals: Intl.PluralRules;

  constructor(readonly locale: Locale) {
    this.numbers = new Intl.NumberFormat(locale);
    // In the owner's own time zone, named, so "14:00" is never ambiguous.
    this.dates = new Intl.DateTimeFormat(locale, { weekday: "short", day: "numeric", month: "short", hour: "numeric", minute: "2-digit", timeZoneName: "short" });
    this.times = new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit", second: "2-digit" });
    this.plurals = new Intl.PluralRules(locale);
  }

  /** The message in this language, with {placeholders} filled; numbers formatted for the locale. */
  t(key: MessageKey, params: Record<string, Param> = {}): string {
    return catalogs[this.locale][key].replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      if (value === undefined) return whole;
      return typeof value === "number" ? this.number(value) : value;
    });
  }

  /** `ahead` + 3 → the `ahead_other` message with {count} = 3. */
  plural(base: "ahead", count: number): string {
    const form = this.plurals.select(count) === "one" ? "one" : "other";
    return this.t(`${base}_${form}`, { count });
  }

  number(value: number): string {
    return this.numbers.format(value);
  }

  dateTime(iso: string | Date): string {
    return this.dates.format(new Date(iso));
  }

  time(date: Date): string {
    return this.times.format(date);
  }
}

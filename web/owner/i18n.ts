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

/**
 * The tag numbers and dates are formatted with: the reader's own regional
 * variant when it is of the chosen language (en-GB gets 24-hour times, en-US
 * 12-hour), else the language itself (nl and de read 24-hour).
 */
export function formattingTag(locale: Locale): string {
  const own = (navigator.languages?.length ? navigator.languages : [navigator.language]).find((tag) => tag?.toLowerCase().split("-")[0] === locale);
  try {
    return own ? (Intl.getCanonicalLocales(own)[0] ?? locale) : locale;
  } catch {
    return locale;
  }
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
  /** The regional tag Intl formats with (en-GB, nl-BE…); `locale` picks the text. */
  readonly tag: string;

  constructor(readonly locale: Locale, tag: string = locale) {
    this.tag = tag;
    this.numbers = new Intl.NumberFormat(tag);
    // In the owner's own time zone, named, so "14:00" is never ambiguous.
    this.dates = new Intl.DateTimeFormat(tag, { weekday: "short", day: "numeric", month: "short", hour: "numeric", minute: "2-digit", timeZoneName: "short" });
    this.times = new Intl.DateTimeFormat(tag, { hour: "numeric", minute: "2-digit", second: "2-digit" });
    this.plurals = new Intl.PluralRules(tag);
  }

  get messages(): Messages {
    return catalogs[this.locale];
  }

  /** "5 minutes ago", "2 hours ago"; under a minute in words. */
  ago(since: Date, now = new Date()): string {
    const minutes = Math.floor((now.getTime() - since.getTime()) / 60_000);
    if (minutes < 1) return this.t("justNow");
    const rtf = new Intl.RelativeTimeFormat(this.tag, { numeric: "always" });
    return minutes < 60 ? rtf.format(-minutes, "minute") : rtf.format(-Math.floor(minutes / 60), "hour");
  }

  /** A span of time in words: "3 hours", "2 days", "40 minutes". */
  duration(ms: number): string {
    const unit = (value: number, u: "minute" | "hour" | "day") => new Intl.NumberFormat(this.tag, { style: "unit", unit: u, unitDisplay: "long" }).format(value);
    const minutes = Math.abs(ms) / 60_000;
    if (minutes < 90) return unit(Math.max(1, Math.round(minutes)), "minute");
    if (minutes < 48 * 60) return unit(Math.round(minutes / 60), "hour");
    return unit(Math.round(minutes / 1440), "day");
  }

  /** "driving and charging", in the reader's language. */
  list(items: readonly string[]): string {
    return new Intl.ListFormat(this.tag, { type: "conjunction" }).format(items);
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

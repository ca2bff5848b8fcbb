// The ETA as a person would say it ("in about 3 hours", "tomorrow afternoon"),
// in the reader's language and time zone; the exact range stays beside it.
// Pure (no DOM) so it is tested at fixed moments.
import type { MessageKey, Messages } from "./messages-en";

export type EtaRange = { earliest: string; latest: string };
export type WordsOptions = { locale: string; timeZone?: string; messages: Messages };

const hour = 3_600_000;
type DayPart = "morning" | "afternoon" | "evening" | "night";

const dayPart = (h: number): DayPart => (h >= 5 && h < 12 ? "morning" : h >= 12 && h < 17 ? "afternoon" : h >= 17 && h < 22 ? "evening" : "night");

/** The calendar day (as a day number) and hour of an instant in the reader's zone. */
function local(date: Date, timeZone: string | undefined) {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", hourCycle: "h23" }).formatToParts(date);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { day: Date.UTC(get("year"), get("month") - 1, get("day")) / (24 * hour), hour: get("hour") };
}

export function etaWords(eta: EtaRange, now: Date, { locale, timeZone, messages }: WordsOptions): string {
  const fill = (key: MessageKey, params: Record<string, string>) => messages[key].replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
  const earliest = Date.parse(eta.earliest);
  if (earliest <= now.getTime()) return messages.etaAnyMoment;
  // The middle of the range is the honest single guess; the range itself is shown beside the words.
  const middle = new Date((earliest + Date.parse(eta.latest)) / 2);
  const away = middle.getTime() - now.getTime();
  const duration = (value: number, unit: "minute" | "hour") => new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "long" }).format(value);
  if (away < 50 * 60_000) return fill("etaInAbout", { duration: duration(Math.max(5, Math.round(away / 300_000) * 5), "minute") });
  if (away < 6 * hour) return fill("etaInAbout", { duration: duration(Math.max(1, Math.round(away / hour)), "hour") });

  const then = local(middle, timeZone);
  const days = then.day - local(now, timeZone).day;
  const part = dayPart(then.hour);
  if (days === 0) return messages[`etaToday_${part}`];
  if (days === 1) return fill(`etaDay_${part}`, { day: messages.etaTomorrow });
  if (days < 7) return fill(`etaDay_${part}`, { day: new Intl.DateTimeFormat(locale, { weekday: "long", timeZone }).format(middle) });
  return fill("etaAround", { date: new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", timeZone }).format(middle) });
}

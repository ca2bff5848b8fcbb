// Which of our languages to show, from an Accept-Language header (or the
// browser's language list, which is what it sends as Accept-Language).
// Pure and shared: the Node server sets <html lang> with it before any script
// runs, the owner page picks its messages with it, and public API reads pick
// the text of localized fields with it.

export const locales = ["en", "nl", "de"] as const;
export type Locale = (typeof locales)[number];

export function isLocale(value: unknown): value is Locale {
  // `includes` on a tuple of literals only accepts those literals; widening the tuple is the check itself.
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}

/** The language tags of an Accept-Language header, most wanted first ("de-DE,de;q=0.9" → ["de-DE", "de"]). */
export function rankedLanguageTags(acceptLanguage: string): string[] {
  return acceptLanguage
    .split(",")
    .map((part, order) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
      return { tag: tag.trim(), q: q ? Number(q[1]) : 1, order };
    })
    .filter((r) => r.tag && r.tag !== "*" && r.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order)
    .map((r) => r.tag);
}

const baseOf = (tag: string) => tag.toLowerCase().split("-")[0] ?? "";

/** "nl-BE,nl;q=0.9,en;q=0.8" → "nl"; English when nothing we speak is asked for. */
export function negotiateLocale(acceptLanguage: string): Locale {
  return rankedLanguageTags(acceptLanguage).map(baseOf).find(isLocale) ?? "en";
}

/**
 * The tag to read localized text in: the first asked-for tag in one of our
 * languages, kept whole ("en-GB") so a text written for it wins over plain "en".
 */
export function negotiateLanguageTag(acceptLanguage: string): string {
  return rankedLanguageTags(acceptLanguage).find((tag) => isLocale(baseOf(tag))) ?? "en";
}

// Which of our languages to show, from an Accept-Language header (or the
// browser's language list, which is what it sends as Accept-Language).
// Pure, so the Node server can use it to set <html lang> before any script runs.

export const locales = ["en", "nl", "de"] as const;
export type Locale = (typeof locales)[number];

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}

/** "nl-BE,nl;q=0.9,en;q=0.8" → "nl"; English when nothing we speak is asked for. */
export function negotiateLocale(acceptLanguage: string): Locale {
  const ranked = acceptLanguage
    .split(",")
    .map((part, order) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
      return { base: tag.trim().toLowerCase().split("-")[0] ?? "", q: q ? Number(q[1]) : 1, order };
    })
    .filter((r) => r.base && r.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  return ranked.map((r) => r.base).find(isLocale) ?? "en";
}

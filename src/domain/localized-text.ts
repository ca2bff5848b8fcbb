// Text people write once per language (release notes, wave names, public
// notices, what to prepare for an install). Stored as written, so nothing is
// lost: a plain string (read as English) or an object of language tags with
// "en" required. Readers get one plain string in their language.

export type LocaleMap<T> = { en: T } & Record<string, T>;
/** A plain value (English) or one per language tag. */
export type Localized<T> = T | LocaleMap<T>;
export type LocalizedText = Localized<string>;
/** A list (e.g. "park the car", "connect to Wi-Fi") or one text, per language. */
export type LocalizedList = Localized<string | string[]>;

/** Language tags we accept as keys: "en", "nl", "de", "en-GB", "es-419", "zh-Hant". */
export const languageTagPattern = /^[a-z]{2,3}(-([A-Z]{2}|[0-9]{3}|[A-Z][a-z]{3}))?$/;

export const isLanguageTag = (key: string) => languageTagPattern.test(key);

function isLocaleMap<T>(value: Localized<T>): value is LocaleMap<T> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const baseOf = (tag: string) => tag.replace(/-.*$/, "").toLowerCase();

/**
 * The value for a reader of `tag`: the exact tag ("en-GB"), else its language
 * ("en"), else another region of it ("de-AT" for "de-DE"), else English.
 */
export function pickLocalized<T>(value: Localized<T>, tag: string): T {
  if (!isLocaleMap(value)) return value;
  const keys = Object.keys(value);
  const exact = keys.find((k) => k.toLowerCase() === tag.toLowerCase());
  const base = baseOf(tag);
  const chosen = exact ?? keys.find((k) => k.toLowerCase() === base) ?? keys.find((k) => baseOf(k) === base);
  return (chosen === undefined ? undefined : value[chosen]) ?? value.en;
}

/** The English text: what the plain text columns and internal readers keep. */
export const englishOf = <T>(value: Localized<T>): T => (isLocaleMap(value) ? value.en : value);

/** A list-or-text in one language as a list, so readers need to handle one shape. */
export function asList(value: string | string[]): string[] {
  return Array.isArray(value) ? value : [value];
}

// Text owners read is written per language (SPEC: Localized text): English
// required, Dutch and German optional. These helpers read a stored value
// into one field per language and build the value back, so a language the
// console does not edit (e.g. "fr" set through the API) is kept, and a
// missing Dutch text stays missing instead of becoming a copy of the English.
import type { LocalizedList, LocalizedText } from "../../src/domain/localized-text";

export const languages = [
  { tag: "en", name: "English" },
  { tag: "nl", name: "Dutch" },
  { tag: "de", name: "German" },
] as const;
export type Tag = (typeof languages)[number]["tag"];

type Value<T> = T | ({ en: T } & Record<string, T>);
const isMap = <T>(value: Value<T>): value is { en: T } & Record<string, T> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Exactly what was written for `tag`, without falling back to English. */
export function writtenIn<T>(value: Value<T> | null | undefined, tag: string): T | undefined {
  if (value === null || value === undefined) return undefined;
  return isMap(value) ? value[tag] : tag === "en" ? value : undefined;
}

/** The value to send: a plain string when only English is written, else one per language; other stored languages kept. */
export function localizedText(texts: Partial<Record<Tag, string | undefined>>, stored?: LocalizedText | null): LocalizedText {
  const kept: Record<string, string> = {};
  if (stored && isMap(stored)) for (const [k, v] of Object.entries(stored)) if (!languages.some((l) => l.tag === k)) kept[k] = v;
  const written: Record<string, string> = {};
  for (const l of languages) {
    const text = texts[l.tag]?.trim();
    if (text) written[l.tag] = text;
  }
  const en = written.en ?? "";
  return Object.keys(written).length + Object.keys(kept).length > 1 ? { ...kept, ...written, en } : en;
}

const lines = (text: string | undefined) => (text ?? "").split("\n").map((l) => l.trim()).filter(Boolean);

/** A list field shown as one line per item. */
export function listText(value: LocalizedList | null | undefined, tag: Tag): string {
  const written = writtenIn(value, tag);
  return Array.isArray(written) ? written.join("\n") : (written ?? "");
}

/** The list to send from one-line-per-item texts; null (clear it) when nothing is written. */
export function localizedList(texts: Partial<Record<Tag, string>>): LocalizedList | null {
  const written: Record<string, string[]> = {};
  for (const l of languages) {
    const items = lines(texts[l.tag]);
    if (items.length) written[l.tag] = items;
  }
  if (Object.keys(written).length === 0) return null;
  const en = written.en ?? [];
  return Object.keys(written).length > 1 ? { ...written, en } : en;
}

import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { negotiateLanguageTag, negotiateLocale, rankedLanguageTags } from "../../src/domain/locale-negotiation";
import { asList, englishOf, isLanguageTag, pickLocalized } from "../../src/domain/localized-text";

describe("localized text", () => {
  const notes = { en: "Faster charging", nl: "Sneller laden", de: "Schneller laden", "en-GB": "Quicker charging" };

  test("a plain string is English and every reader gets it", () => {
    for (const tag of ["en", "nl", "de-DE", "fr"]) expect(pickLocalized("Faster charging", tag)).toBe("Faster charging");
    expect(englishOf("Faster charging")).toBe("Faster charging");
  });

  test("the reader's tag, then its language, then another region of it, then English", () => {
    expect(pickLocalized(notes, "nl")).toBe("Sneller laden");
    expect(pickLocalized(notes, "de-DE")).toBe("Schneller laden");
    expect(pickLocalized(notes, "en-GB")).toBe("Quicker charging");
    expect(pickLocalized(notes, "en-US")).toBe("Faster charging");
    expect(pickLocalized(notes, "fr")).toBe("Faster charging");
    expect(pickLocalized({ en: "x", "de-AT": "Ö" }, "de-DE")).toBe("Ö");
    expect(pickLocalized({ en: "x", nl: "y" }, "NL")).toBe("y");
    expect(englishOf(notes)).toBe("Faster charging");
  });

  test("whatever the tag, a value of the map comes back (never undefined)", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom("nl", "de", "en-GB", "de-AT", "fr"), fc.string()), fc.string(), (rest, tag) => {
        const value = { ...rest, en: "english" };
        expect(Object.values(value)).toContain(pickLocalized(value, tag));
      }),
    );
  });

  test("language tags: short, lower-case language, optional region or script; junk refused", () => {
    for (const ok of ["en", "nl", "de", "en-GB", "es-419", "zh-Hant"]) expect(isLanguageTag(ok)).toBe(true);
    for (const bad of ["", "EN", "english", "en_GB", "en-gb", "e", "en-GB-x", "__proto__", "constructor", "a\u0000b", " en"]) expect(isLanguageTag(bad)).toBe(false);
  });

  test("a list-or-text reads as a list", () => {
    expect(asList("Park the car")).toEqual(["Park the car"]);
    expect(asList(["Park", "Wi-Fi"])).toEqual(["Park", "Wi-Fi"]);
  });
});

describe("language negotiation", () => {
  test("q-values rank the asked-for tags; q=0 and * are dropped", () => {
    expect(rankedLanguageTags("fr;q=0.2, de-DE,de;q=0.9, *;q=0.1, nl;q=0")).toEqual(["de-DE", "de", "fr"]);
  });

  test("the first tag in one of our languages, whole; English when none", () => {
    expect(negotiateLanguageTag("de-DE,de;q=0.9")).toBe("de-DE");
    expect(negotiateLanguageTag("fr-FR, en-GB;q=0.8, nl;q=0.9")).toBe("nl");
    expect(negotiateLanguageTag("en-GB")).toBe("en-GB");
    expect(negotiateLanguageTag("fr, es")).toBe("en");
    expect(negotiateLanguageTag("")).toBe("en");
    expect(negotiateLocale("nl-BE,nl;q=0.9,en;q=0.8")).toBe("nl");
    expect(negotiateLocale("en-GB")).toBe("en");
  });
});

// The owner page's ETA in words, in each language, at fixed moments.
import { describe, expect, test } from "vitest";
import { etaWords } from "../../web/owner/eta-words";
import { de } from "../../web/owner/messages-de";
import { en } from "../../web/owner/messages-en";
import { nl } from "../../web/owner/messages-nl";

const timeZone = "Europe/Amsterdam";
// Tuesday 24 November 2026, 09:00 in Amsterdam.
const now = new Date("2026-11-24T08:00:00Z");
const at = (hoursFromNow: number, spreadHours = 1) => {
  const mid = now.getTime() + hoursFromNow * 3_600_000;
  return { earliest: new Date(mid - (spreadHours * 3_600_000) / 2).toISOString(), latest: new Date(mid + (spreadHours * 3_600_000) / 2).toISOString() };
};

describe("ETA in words", () => {
  test("a few hours away reads as 'in about N hours'", () => {
    expect(etaWords(at(3), now, { locale: "en-GB", timeZone, messages: en })).toBe("in about 3 hours");
    expect(etaWords(at(3), now, { locale: "nl", timeZone, messages: nl })).toBe("over ongeveer 3 uur");
    expect(etaWords(at(3), now, { locale: "de", timeZone, messages: de })).toBe("in etwa 3 Stunden");
  });

  test("under an hour reads in minutes, and a range already begun as any moment now", () => {
    expect(etaWords(at(0.66, 0.2), now, { locale: "en", timeZone, messages: en })).toBe("in about 40 minutes");
    expect(etaWords({ earliest: new Date(now.getTime() - 60_000).toISOString(), latest: new Date(now.getTime() + 600_000).toISOString() }, now, { locale: "en", timeZone, messages: en })).toBe(en.etaAnyMoment);
  });

  test("the next day reads as 'tomorrow afternoon', a later one by its weekday", () => {
    // 28 h after 09:00 → Wednesday 13:00.
    expect(etaWords(at(28), now, { locale: "en-GB", timeZone, messages: en })).toBe("tomorrow afternoon");
    expect(etaWords(at(28), now, { locale: "nl", timeZone, messages: nl })).toBe("morgenmiddag");
    expect(etaWords(at(28), now, { locale: "de", timeZone, messages: de })).toBe("morgen Nachmittag");
    // 72 h → Friday 09:00.
    expect(etaWords(at(72), now, { locale: "en-GB", timeZone, messages: en })).toBe("Friday morning");
    expect(etaWords(at(72), now, { locale: "de", timeZone, messages: de })).toBe("Freitag Vormittag");
  });

  test("weeks away reads as a date", () => {
    expect(etaWords(at(24 * 20), now, { locale: "en-GB", timeZone, messages: en })).toBe("around 14 December");
    expect(etaWords(at(24 * 20), now, { locale: "nl", timeZone, messages: nl })).toBe("rond 14 december");
  });
});

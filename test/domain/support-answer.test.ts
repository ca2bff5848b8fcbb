import { describe, expect, test } from "vitest";
import { locales } from "../../src/domain/locale-negotiation";
import { type AnswerStatus, supportAnswer, supportAnswers } from "../../src/domain/support-answer";

const base: AnswerStatus = {
  vehicle: { model: "model3", firmware: "2026.38.2" },
  release: { version: "2026.44.1" },
  state: "queued",
  queue: { position: 1234, total: 80000, ahead: 1200, wave: { index: 2, name: "early", state: "active" } },
  // 13:00–15:00 UTC on 25 November = 14:00–16:00 in Amsterdam (CET).
  eta: { earliest: "2026-11-25T13:00:00Z", latest: "2026-11-25T15:00:00Z" },
  notice: null,
};
const at = (overrides: Partial<AnswerStatus>): AnswerStatus => ({ ...base, ...overrides });

describe("support answer", () => {
  test("queued with an ETA: place, wave, ahead and the range in Amsterdam time, in each language", () => {
    expect(supportAnswer(base, "en")).toBe(
      'Your car is number 1,234 of 80,000 in line for update 2026.44.1, in wave 2 ("early"). 1,200 cars ahead of it have not been offered the update yet. We expect to offer it between 14:00 CET and 16:00 CET on 25 November.',
    );
    expect(supportAnswer(base, "nl")).toBe(
      'Uw auto staat op plaats 1.234 van 80.000 in de rij voor update 2026.44.1, in golf 2 ("early"). 1.200 auto\'s voor hem hebben de update nog niet aangeboden gekregen. We verwachten hem tussen 14:00 CET en 16:00 CET op 25 november aan te bieden.',
    );
    expect(supportAnswer(base, "de")).toBe(
      'Ihr Fahrzeug ist Nummer 1.234 von 80.000 in der Warteschlange für Update 2026.44.1, in Welle 2 ("early"). 1.200 Fahrzeuge davor haben das Update noch nicht angeboten bekommen. Wir erwarten, es zwischen 14:00 MEZ und 16:00 MEZ am 25. November anzubieten.',
    );
  });

  test("a range over midnight names both days; summer time says CEST; one car is singular", () => {
    const overnight = at({ eta: { earliest: "2026-06-30T21:30:00Z", latest: "2026-06-30T22:30:00Z" }, queue: { ...base.queue!, ahead: 1 } });
    expect(supportAnswer(overnight, "en")).toContain("1 car ahead");
    expect(supportAnswer(overnight, "en")).toContain("between 30 June 23:30 CEST and 1 July 00:30 CEST");
    expect(supportAnswer(overnight, "de")).toContain("1 Fahrzeug davor");
    expect(supportAnswer(overnight, "nl")).toContain("1 auto voor hem");
  });

  const cases: [string, AnswerStatus, Record<string, string[]>, { errorCode?: string; region?: string; minVersion?: string }?][] = [
    ["paused", at({ eta: null, notice: { kind: "paused", message: "charging issue" } }), { en: ["paused", "charging issue", "no estimate"], nl: ["gepauzeerd", "charging issue"], de: ["pausiert", "charging issue"] }],
    ["halted while queued", at({ eta: null, notice: { kind: "halted", message: "stopped" } }), { en: ["has been stopped"], nl: ["gestopt"], de: ["gestoppt"] }],
    ["no start", at({ eta: null, queue: { ...base.queue!, wave: { index: 3, name: "everyone", state: "pending" } } }), { en: ["no start time"], nl: ["geen starttijd"], de: ["keine Startzeit"] }],
    ["offered", at({ state: "offered", queue: null, eta: null }), { en: ["has been offered"], nl: ["is aan uw auto aangeboden"], de: ["wurde Ihrem Fahrzeug angeboten"] }],
    ["downloading", at({ state: "downloading", eta: null }), { en: ["downloading update 2026.44.1"], nl: ["downloadt update 2026.44.1"], de: ["lädt Update 2026.44.1 herunter"] }],
    ["installing", at({ state: "installing", eta: null }), { en: ["installing update"], nl: ["installeert update"], de: ["installiert Update"] }],
    ["installed", at({ state: "installed", eta: null }), { en: ["has installed update 2026.44.1"], nl: ["heeft update 2026.44.1 geïnstalleerd"], de: ["hat Update 2026.44.1 installiert"] }],
    ["failed", at({ state: "failed", eta: null }), { en: ["failed (error code E42)"], nl: ["mislukt (foutcode E42)"], de: ["fehlgeschlagen (Fehlercode E42)"] }, { errorCode: "E42" }],
    ["cancelled", at({ state: "cancelled", queue: null, eta: null, notice: { kind: "halted", message: "battery" } }), { en: ["was stopped", "2026.38.2", "battery"], nl: ["is gestopt", "2026.38.2"], de: ["wurde gestoppt", "2026.38.2"] }],
    ["not eligible (region)", at({ state: "not_eligible", reasonCode: "region", reason: "This release is not available in region NL yet.", queue: null, eta: null }), { en: ["is not for your car", "region NL"], nl: ["regio NL"], de: ["Region NL"] }, { region: "NL" }],
    ["not eligible (min version)", at({ state: "not_eligible", reasonCode: "min_version", queue: null, eta: null }), { en: ["2026.20.0 or newer", "2026.38.2"], nl: ["2026.20.0 of nieuwer"], de: ["2026.20.0 oder neuer"] }, { minVersion: "2026.20.0" }],
    ["up to date", at({ state: "up_to_date", release: null, queue: null, eta: null }), { en: ["up to date", "2026.38.2"], nl: ["up-to-date", "2026.38.2"], de: ["auf dem neuesten Stand", "2026.38.2"] }],
  ];

  test.each(cases)("%s: its own words in en, nl and de", (_name, status, expected, facts) => {
    const answers = supportAnswers(() => status, facts);
    expect(Object.keys(answers)).toEqual([...locales]);
    for (const lang of locales) {
      for (const words of expected[lang]!) expect(answers[lang]).toContain(words);
      expect(answers[lang]).not.toMatch(/undefined|null|NaN|\[object/);
    }
    expect(new Set(Object.values(answers)).size).toBe(3);
  });

  test("deterministic: the same status gives the same words", () => {
    expect(supportAnswers(() => structuredClone(base))).toEqual(supportAnswers(() => structuredClone(base)));
  });

  test("each language's answer uses that language's status (the notice as owners read it)", () => {
    const messages = { en: "charging issue", nl: "laadprobleem", de: "Ladeproblem" };
    const answers = supportAnswers((lang) => at({ eta: null, notice: { kind: "paused", message: messages[lang] } }));
    expect(answers.nl).toContain("laadprobleem");
    expect(answers.de).toContain("Ladeproblem");
  });
});

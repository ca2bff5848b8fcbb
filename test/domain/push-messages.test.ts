import { describe, expect, test } from "vitest";
import { movedEtas } from "../../src/domain/eta-moves";
import { locales } from "../../src/domain/locale-negotiation";
import { pushEvents, pushMessage } from "../../src/domain/push-messages";
import { parseConfig } from "../../src/config";
import { at, release, t0, wave } from "../helpers/clock";

describe("push messages", () => {
  test.each(locales)("every event has a short title and body in %s", (locale) => {
    for (const event of pushEvents) {
      const { title, body } = pushMessage(event, { version: "2026.44.1", wave: 2 }, locale);
      expect(title).toBe("Update 2026.44.1");
      expect(body.length).toBeGreaterThan(10);
      // A notification shows about two lines: keep each message well under a tweet.
      expect(body.length).toBeLessThan(140);
    }
  });

  test("the words differ per language, and a public notice follows in the subscriber's language, English when missing", () => {
    const message = { en: "Checking a charging issue.", nl: "We onderzoeken een laadprobleem." };
    expect(pushMessage("paused", { version: "1.0", message }, "nl").body).toBe("De uitrol is gepauzeerd. Uw plek in de rij blijft behouden. We onderzoeken een laadprobleem.");
    expect(pushMessage("paused", { version: "1.0", message }, "de").body).toBe("Die Verteilung ist pausiert. Ihr Platz in der Reihe bleibt erhalten. Checking a charging issue.");
    expect(new Set(locales.map((l) => pushMessage("offered", { version: "1.0" }, l).body)).size).toBe(3);
  });
});

describe("ETA moves after a re-plan", () => {
  const rolling = { state: "rolling_out" as const, queueSize: 1000, offeredThrough: 100, clockStartedAt: t0, offeredAtClockStart: 100 };
  const plan = (secondStart: Date, rate = 100) => release([wave(1, 10, { state: "active", openedAt: t0, fullyOfferedAt: t0, soakStartedAt: t0 }), wave(2, 100, { startAt: secondStart, ratePerHour: rate })], rolling);

  test("a car whose offer moves by more than two hours is told; one that moves by less, or an offered car, is not", () => {
    const before = plan(at(24 * 60));
    expect(movedEtas(before, plan(at(27 * 60)), [150, 900], t0)).toEqual([150, 900]);
    expect(movedEtas(before, plan(at(24 * 60 + 90)), [150, 900], t0)).toEqual([]);
    // A slower rate moves the back of the wave more than the front: 800 cars at 100/h → at 50/h.
    expect(movedEtas(before, plan(at(24 * 60), 50), [110, 900], t0)).toEqual([900]);
    expect(movedEtas(before, plan(at(48 * 60)), [50], t0)).toEqual([]);
  });
});

describe("VAPID configuration", () => {
  const publicKey = "BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U";
  const privateKey = "UUxI4O8-FbRouAevSmBQ6o18hgE4nSG3qwvJTfKc-ls";

  test("keys are read together; without them none are configured (generated and kept in the database)", () => {
    expect(parseConfig({ VAPID_PUBLIC_KEY: publicKey, VAPID_PRIVATE_KEY: privateKey, VAPID_SUBJECT: "mailto:ops@example.com" })).toMatchObject({ vapidKeys: { publicKey, privateKey }, vapidSubject: "mailto:ops@example.com" });
    expect(parseConfig({}).vapidKeys).toBeUndefined();
    expect(parseConfig({ PUBLIC_URL: "https://rollout.example.com" }).vapidSubject).toBe("https://rollout.example.com");
    expect(parseConfig({ PUBLIC_URL: "http://localhost:8787" }).vapidSubject).toBeUndefined();
  });

  test.each([
    [{ VAPID_PUBLIC_KEY: publicKey }, /go together/],
    [{ VAPID_PUBLIC_KEY: "short", VAPID_PRIVATE_KEY: privateKey }, /VAPID_PUBLIC_KEY/],
    [{ VAPID_PUBLIC_KEY: publicKey, VAPID_PRIVATE_KEY: "short" }, /VAPID_PRIVATE_KEY/],
    [{ VAPID_SUBJECT: "ops@example.com" }, /VAPID_SUBJECT/],
  ])("%o is refused at start", (env, message) => {
    expect(() => parseConfig(env)).toThrow(message);
  });
});

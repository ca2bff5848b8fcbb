// Issue #12, owner page in Chromium: what the best parcel trackers show: the
// steps to come, the ETA in words beside its range, a note when it moved and
// why, what to prepare (UN R156) and a short FAQ, in en, nl and de.
import { describe, expect, test } from "vitest";
import type { Track } from "../../src/routes/track/track.schemas";
import { de } from "../../web/owner/messages-de";
import { en } from "../../web/owner/messages-en";
import { nl } from "../../web/owner/messages-nl";
import { desktop, errorsIn, hasChromium, type launchBrowser, phone, screenshot, withServerAndBrowser } from "./browser";
import { type Rollout, seedRollout } from "./rollout-data";
import type { Server } from "./server";

const catalogs = { en, nl, de };

describe.runIf(hasChromium)("owner page: a parcel tracker's clarity", () => {
  let server: Server;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  withServerAndBrowser((s, b) => {
    [server, browser] = [s, b];
  });

  const etagOf = async (rollout: Rollout) => (await server.api("GET", `/v1/releases/${rollout.version}`, { key: rollout.managerKey })).headers.get("etag")!;
  const prepare = async (rollout: Rollout) =>
    server.api("PATCH", `/v1/releases/${rollout.version}`, {
      key: rollout.managerKey,
      headers: { "if-match": await etagOf(rollout) },
      json: {
        purpose: "safety",
        installMinutes: 25,
        unavailableDuring: { en: ["driving", "charging"], nl: ["rijden", "laden"], de: ["Fahren", "Laden"] },
        instructions: { en: ["Park in a safe place"], nl: ["Parkeer op een veilige plek"], de: ["Parken Sie an einem sicheren Ort"] },
      },
    });

  test("steps to come, the ETA in words with its range, what to prepare and the FAQ, in each language and size", async () => {
    const rollout = await seedRollout(server, 1200);
    expect((await prepare(rollout)).status).toBe(200);
    const track = (await server.api<Track>("GET", `/v1/track/${rollout.owner.code}`)).data;
    expect(track.state).toBe("queued");
    for (const locale of ["en", "nl", "de"] as const) {
      const m = catalogs[locale];
      for (const [size, device] of [["desktop", desktop], ["phone", phone]] as const) {
        const page = await browser.page({ locale: { en: "en-GB", nl: "nl-NL", de: "de-DE" }[locale], device });
        await page.goto(`${server.base}/t/${rollout.owner.code}`);
        await page.locator(".status h1").waitFor({ timeout: 15_000 });
        const steps = page.locator(".steps li");
        expect(await steps.count()).toBe(5);
        expect(await page.locator('.steps li[aria-current="step"]').innerText()).toContain(m.stepQueued);
        expect(await page.locator(".steps li.step-todo").count()).toBe(4);
        if (track.eta) {
          expect((await page.locator(".eta-words").innerText()).length).toBeGreaterThan(3);
          await page.locator(".eta-range time").first().waitFor();
        } else await page.locator(".eta-unknown").waitFor();
        const prep = page.locator(".prepare");
        await prep.getByRole("heading", { name: m.prepareHeading }).waitFor();
        await prep.getByText(m.prepareMinutes.replace("{minutes}", "25")).waitFor();
        await prep.getByText({ en: "Park in a safe place", nl: "Parkeer op een veilige plek", de: "Parken Sie an einem sicheren Ort" }[locale]).waitFor();
        await prep.getByText({ en: "driving", nl: "rijden", de: "Fahren" }[locale], { exact: false }).waitFor();
        await prep.getByText(m.purposeSafety).waitFor();
        const faq = page.locator(".faq");
        await faq.getByRole("heading", { name: m.faqHeading }).waitFor();
        expect(await faq.locator("summary").allInnerTexts()).toEqual([m.faqWhyWave, m.faqSooner, m.faqBeta]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
        await screenshot(page, `owner-${locale}-${size}-tracker`);
        if (size === "phone") {
          await page.setViewportSize({ width: 360, height: 800 });
          expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
        }
        expect(errorsIn(page)).toEqual([]);
        await page.context().close();
      }
    }
  }, 240_000);

  test("the page notes when the ETA moved since it was last shown, and why (a re-plan)", async () => {
    const rollout = await seedRollout(server, 1200);
    // The seeded plan gives the owner (far back, in wave 3) an ETA; the new plan splits that wave and puts the car in a wave 4 that starts two days from now.
    const second = [
      { name: "early", share: 2, autoAdvance: { minSuccessPercent: 80, soakMinutes: 60 } },
      { name: "adopters", share: 25, ratePerHour: 200, autoAdvance: { minSuccessPercent: 95, soakMinutes: 120 } },
      { name: "majority", share: 50, ratePerHour: 400 },
      { name: { en: "everyone", nl: "iedereen", de: "alle" }, share: 100, ratePerHour: 400, startAt: new Date(Date.now() + 48 * 3_600_000).toISOString() },
    ];
    const replan = async (waves: unknown[]) => {
      const res = await server.api("PUT", `/v1/releases/${rollout.version}/waves`, { key: rollout.managerKey, json: { waves }, headers: { "if-match": await etagOf(rollout) } });
      expect(res.status).toBe(200);
    };
    const page = await browser.page({ locale: "nl-NL" });
    await page.goto(`${server.base}/t/${rollout.owner.code}`);
    await page.locator(".eta-range time").first().waitFor({ timeout: 15_000 });
    expect(await page.locator(".eta-moved").count()).toBe(0);

    await replan(second);
    await page.waitForTimeout(2_100); // the owner-answer cache (2 s, server and browser together)
    await page.reload();
    const moved = page.locator(".eta-moved");
    await moved.waitFor({ timeout: 15_000 });
    expect(await moved.innerText()).toContain(nl.etaMovedLater.split("{")[0]!.trim());
    expect(await moved.innerText()).toContain(nl.etaWhyReplanned);
    // The code itself is never written to storage.
    const stored = await page.evaluate(() => JSON.stringify(Object.entries(localStorage)));
    expect(stored).not.toContain(rollout.owner.code);
    await screenshot(page, "owner-nl-eta-moved");
    await page.context().close();
  }, 120_000);
});

// The public rollout page (/releases) in Debian's Chromium, against the real
// server on PGlite, with a rollout and a fleet set up through the API.
import { describe, expect, test } from "vitest";
import { desktop, errorsIn, hasChromium, type launchBrowser, phone, screenshot, withServerAndBrowser } from "./browser";
import { seedRollout } from "./rollout-data";
import type { Server } from "./server";

const titles = { en: "How the rollout is going", nl: "Hoe de uitrol verloopt", de: "Wie das Update verteilt wird" };

describe.runIf(hasChromium)("public rollout page in Chromium", () => {
  let server: Server;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  withServerAndBrowser((s, b) => {
    [server, browser] = [s, b];
  });

  test("shows each release's wave, percent offered and installed, and the fleet, in en, nl and de, at both sizes", async () => {
    const rollout = await seedRollout(server);
    for (const locale of ["en", "nl", "de"] as const) {
      for (const [size, device] of [["desktop", desktop], ["phone", phone]] as const) {
        const page = await browser.page({ locale, device });
        await page.goto(`${server.base}/releases`);
        await page.getByRole("heading", { level: 1, name: titles[locale] }).waitFor({ timeout: 15_000 });
        const card = page.getByRole("article", { name: rollout.version });
        await card.waitFor();
        // 2% of 1,200 is wave 1 (24 cars), offered at once: 2% of the line offered, wave 1 of 3.
        expect(await card.textContent()).toMatch(locale === "en" ? /Wave 1 of 3: early/ : locale === "nl" ? /Golf 1 van 3: early/ : /Welle 1 von 3: early/);
        expect(await card.getByRole("table").textContent()).toContain("adopters");
        // The charts are drawn (chart.js sized the canvases) and labelled for screen readers.
        const charts = page.locator("canvas[role=img]");
        expect(await charts.count()).toBeGreaterThanOrEqual(3);
        expect(await charts.first().evaluate((c: HTMLCanvasElement) => c.width > 0 && c.getAttribute("aria-label")!.length > 0)).toBe(true);
        await page.getByRole("heading", { level: 2, name: { en: "Firmware in the fleet", nl: "Firmware in de vloot", de: "Firmware in der Flotte" }[locale] }).waitFor();
        // Nothing private on a public page.
        const text = (await page.locator("main").textContent()) ?? "";
        expect(text).not.toContain(rollout.owner.vin);
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
        await screenshot(page, `public-releases-${locale}-${size}`);
        expect(errorsIn(page)).toEqual([]);
        await page.context().close();
      }
    }
  });

  test("the owner page links to the release on the public page", async () => {
    const rollout = await seedRollout(server, 60);
    const page = await browser.page({ locale: "nl-NL" });
    await page.goto(`${server.base}/t/${rollout.owner.code}`);
    await page.getByRole("link", { name: "Bekijk hoe de uitrol voor iedereen verloopt" }).click();
    await page.getByRole("heading", { level: 1, name: titles.nl }).waitFor({ timeout: 15_000 });
    expect(new URL(page.url()).pathname).toBe("/releases");
    // The anchor names the owner's release (the list itself may be up to 30 s old: its max-age).
    expect(new URL(page.url()).hash).toBe(`#v${rollout.version}`);
    expect(errorsIn(page)).toEqual([]);
    await page.context().close();
  });

  test("at 360 px nothing scrolls sideways, and the language switch changes the words", async () => {
    await seedRollout(server, 60);
    const page = await browser.page({ locale: "en-US", device: { ...phone, viewport: { width: 360, height: 780 } } });
    await page.goto(`${server.base}/releases`);
    await page.getByRole("heading", { level: 1, name: titles.en }).waitFor({ timeout: 15_000 });
    await page.getByRole("button", { name: "Deutsch" }).click();
    await page.getByRole("heading", { level: 1, name: titles.de }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("de");
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(errorsIn(page)).toEqual([]);
    await page.context().close();
  });
});

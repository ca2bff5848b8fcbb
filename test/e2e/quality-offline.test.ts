// A fresh load while the server is down shows our offline page in the
// reader's language (the service worker's), not the browser's error page.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { errorsIn, hasChromium, launchBrowser, phone, screenshot } from "./browser";
import { type Server, startServer } from "./server";

describe.runIf(hasChromium)("offline page in Chromium", () => {
  let server: Server;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test("load once, the server goes away, reload: the offline page in Dutch, German or the chosen language", async () => {
    const readers = [
      { locale: "nl-NL", path: "/", heading: "Je bent offline", lang: "nl" },
      { locale: "de-DE", path: "/console", heading: "Sie sind offline", lang: "de" },
      // A German browser whose reader picked English on the owner page.
      { locale: "de-DE", path: "/", heading: "You are offline", lang: "en", choose: "English" },
    ];
    const pages = [];
    for (const reader of readers) {
      const page = await browser.page({ locale: reader.locale, device: phone });
      await page.goto(`${server.base}${reader.path}`);
      if (reader.choose) await page.getByRole("button", { name: reader.choose }).click();
      // Ready means installed and activated, so the offline page is in its cache.
      const ready = await page.evaluate(() => Promise.race([navigator.serviceWorker.ready.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 15_000))]));
      expect(ready, "a service worker is installed").toBe(true);
      pages.push({ page, reader });
    }

    await server.stop();

    for (const { page, reader } of pages) {
      await page.reload();
      await page.getByRole("heading", { level: 1, name: reader.heading }).waitFor({ timeout: 15_000 });
      expect(await page.locator("html").getAttribute("lang")).toBe(reader.lang);
      // A link never opened before falls back the same way.
      await page.goto(`${server.base}/t/NEVERSEENBEFORE1`);
      await page.getByRole("heading", { level: 1, name: reader.heading }).waitFor({ timeout: 15_000 });
      await page.getByRole("button").first().waitFor();
      await screenshot(page, `offline-${reader.lang}-phone`);
      expect(errorsIn(page)).toEqual([]);
      await page.context().close();
    }
  }, 180_000);
});

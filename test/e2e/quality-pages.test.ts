// Every view (test/e2e/quality-views.ts) at 360 px wide: no sideways scroll and
// no axe-core violations; and screenshots of each in English, Dutch and German
// at 1280 and 390 px into test-artifacts/quality/ for people to look at.
import axe from "axe-core";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { desktop, errorsIn, hasChromium, launchBrowser, phone, screenshot } from "./browser";
import { type ViewData, seedViews } from "./quality-data";
import { openView, views } from "./quality-views";
import { type Server, startServer } from "./server";

const narrow = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true };

/** axe-core's violations in words: rule, impact, and the elements it names. */
async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the pages' CSP (script-src 'self') does not govern.
  await page.evaluate(axe.source);
  const results = await page.evaluate(() => (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ["violations"] }));
  return results.violations.map((v) => `${v.id} (${v.impact ?? "?"}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

describe.runIf(hasChromium)("every view, in Chromium", () => {
  let server: Server;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let data: ViewData;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    data = await seedViews(server);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const view of views) {
    test(`${view.name} at 360 px: no sideways scroll, no axe-core violations`, async () => {
      const page = await browser.page({ locale: "en-GB", device: narrow });
      await openView(page, server.base, view, data);
      const width = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
      expect(width.scroll, "page width at 360 px").toBeLessThanOrEqual(width.inner);
      expect(await axeViolations(page)).toEqual([]);
      expect(errorsIn(page)).toEqual([]);
      await page.context().close();
    }, 60_000);
  }

  for (const locale of ["en-GB", "nl-NL", "de-DE"]) {
    test(`screenshots of every view in ${locale} at 1280 and 390 px`, async () => {
      for (const [size, device] of [["1280", desktop], ["390", phone]] as const) {
        for (const view of views) {
          const page = await browser.page({ locale, device });
          await openView(page, server.base, view, data);
          await screenshot(page, `quality/${view.name}-${locale.slice(0, 2)}-${size}`);
          expect(errorsIn(page)).toEqual([]);
          await page.context().close();
        }
      }
    }, 300_000);
  }
});

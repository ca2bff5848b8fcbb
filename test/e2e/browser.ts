// Debian's Chromium driven by playwright-core; each test gets fresh contexts.
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { chromium, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { type Server, startServer } from "./server";

export const chromiumPath = "/usr/bin/chromium";
export const hasChromium = existsSync(chromiumPath);
export const artifacts = join(process.cwd(), "test-artifacts");

export const desktop = { viewport: { width: 1280, height: 900 } };
export const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

export async function launchBrowser() {
  // launch() runs Chromium on a fresh temporary profile, removed on close; every page gets its own context.
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  return {
    /** A page in a fresh context (own storage) with the given language, size and time zone. */
    async page(options: { locale?: string; device?: typeof desktop | typeof phone; permissions?: string[] } = {}): Promise<Page> {
      const context = await browser.newContext({ ...(options.device ?? desktop), locale: options.locale ?? "en-US", timezoneId: "Europe/Amsterdam", permissions: options.permissions ?? [] });
      const page = await context.newPage();
      const errors: string[] = [];
      // Script errors and CSP violations; a refused request is the API's answer, checked by the tests themselves.
      page.on("pageerror", (error) => errors.push(error.message));
      page.on("console", (message) => {
        if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) errors.push(message.text());
      });
      pageErrors.set(page, errors);
      return page;
    },
    close: () => browser.close(),
  };
}

const pageErrors = new WeakMap<Page, string[]>();

/** What went wrong in the page's scripts so far (empty when all is well). */
export const errorsIn = (page: Page): string[] => pageErrors.get(page) ?? [];

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(artifacts, `${name}.png`);
  mkdirSync(dirname(path), { recursive: true });
  try {
    await page.screenshot({ path, fullPage: true });
  } catch (error) {
    // Headless Chromium now and then refuses a full-page capture of a page it has drawn
    // ("Unable to capture screenshot", puppeteer/puppeteer#5341, upstream), as a fresh-clone
    // CI run here did once. One more try a moment later; a second refusal fails the test.
    if (!(error instanceof Error) || !error.message.includes("Unable to capture screenshot")) throw error;
    await page.waitForTimeout(250);
    await page.screenshot({ path, fullPage: true });
  }
  return path;
}

/**
 * One server and one browser for a test file, started before its tests and
 * stopped after them; `use` receives both once they are up.
 */
export function withServerAndBrowser(use: (server: Server, browser: Browser) => void) {
  let running: [Server, Browser] | undefined;
  beforeAll(async () => {
    running = await Promise.all([startServer(), launchBrowser()]);
    use(...running);
  }, 120_000);
  afterAll(async () => {
    await running?.[1].close();
    await running?.[0].stop();
  });
}

type Browser = Awaited<ReturnType<typeof launchBrowser>>;

/** Signs in to the console with an API key and waits for the releases list. */
export async function signInToConsole(page: Page, base: string, key: string): Promise<void> {
  await page.goto(`${base}/console`);
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { level: 1, name: "Releases" }).waitFor();
}

// The owner's tracking page in Debian's Chromium, against the real server on
// a real (PGlite) database, with data set up through the API.
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import type { Track } from "../../src/routes/track/track.schemas";
import { de } from "../../web/owner/messages-de";
import { en } from "../../web/owner/messages-en";
import { nl } from "../../web/owner/messages-nl";
import { desktop, errorsIn, hasChromium, type launchBrowser, phone, screenshot, withServerAndBrowser } from "./browser";
import { seedRollout } from "./rollout-data";
import type { Server } from "./server";

const fmt = (locale: string, n: number) => new Intl.NumberFormat(locale).format(n);
const catalogs = { en, nl, de };

/** English text that has a different translation must not appear on a page in another language. */
function untranslated(text: string, locale: "nl" | "de"): string[] {
  return Object.entries(en)
    .filter(([key, value]) => value !== catalogs[locale][key as keyof typeof en])
    .flatMap(([, value]) => value.split(/\{\w+\}/))
    .map((part) => part.trim())
    .filter((part) => part.length >= 12 && text.includes(part));
}

describe.runIf(hasChromium)("owner tracking page in Chromium", () => {
  let server: Server;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  withServerAndBrowser((s, b) => {
    [server, browser] = [s, b];
  });

  const trackOf = async (code: string) => (await server.api<Track>("GET", `/v1/track/${code}`)).data;
  /** The place in line of a car waiting in a wave (the API says null for one that is not). */
  const placeOf = (track: Track) => {
    if (!track.queue?.wave) throw new Error(`not waiting in a wave: ${JSON.stringify(track)}`);
    return { ...track.queue, wave: track.queue.wave };
  };
  const heading = (page: Page, text: string) => page.getByRole("heading", { level: 1, name: text }).waitFor({ timeout: 15_000 });

  test("an owner opens their link and sees position, people ahead, wave and chart (desktop and phone)", async () => {
    const rollout = await seedRollout(server);
    const track = await trackOf(rollout.owner.code);
    expect(track.state).toBe("queued");
    const queue = placeOf(track);
    for (const [name, device] of [["desktop", desktop], ["phone", phone]] as const) {
      const page = await browser.page({ locale: "en-US", device });
      await page.goto(`${server.base}/t/${rollout.owner.code}`);
      await heading(page, `You are #${fmt("en", queue.position)} in line`);
      expect(await page.locator("html").getAttribute("lang")).toBe("en");
      await page.getByText(`${fmt("en", queue.ahead)} cars ahead of you`).waitFor();
      await page.getByText(`Wave ${queue.wave.index}: ${queue.wave.name}`).waitFor();
      const chart = page.locator(".wave canvas");
      expect((await chart.boundingBox())!.width).toBeGreaterThan(250);
      expect(await chart.getAttribute("aria-label")).toContain(`of ${fmt("en", queue.total)} cars have been offered the update`);
      await page.getByText("Faster DC charging on cold days.", { exact: false }).waitFor();
      await page.getByRole("heading", { name: "What happened so far" }).waitFor();
      await screenshot(page, `owner-en-${name}`);
      expect(errorsIn(page)).toEqual([]);
      await page.context().close();
    }
  }, 180_000);

  test("Accept-Language picks Dutch or German, with locale numbers; the switch changes language and is remembered", async () => {
    const rollout = await seedRollout(server);
    const queue = placeOf(await trackOf(rollout.owner.code));
    const titles = { nl: `Je bent #${fmt("nl", queue.position)} in de rij`, de: `Sie sind Nr. ${fmt("de", queue.position)} in der Warteschlange` };
    for (const locale of ["nl", "de"] as const) {
      for (const [name, device] of [["desktop", desktop], ["phone", phone]] as const) {
        const page = await browser.page({ locale: locale === "nl" ? "nl-NL" : "de-DE", device });
        await page.goto(`${server.base}/t/${rollout.owner.code}`);
        await heading(page, titles[locale]);
        expect(await page.locator("html").getAttribute("lang")).toBe(locale);
        await page.locator(".timeline li").first().waitFor();
        expect(untranslated(await page.locator("body").innerText(), locale)).toEqual([]);
        await screenshot(page, `owner-${locale}-${name}`);
        expect(errorsIn(page)).toEqual([]);
        await page.context().close();
      }
    }

    const page = await browser.page({ locale: "nl-NL" });
    await page.goto(`${server.base}/t/${rollout.owner.code}`);
    await heading(page, titles.nl);
    await page.getByRole("button", { name: "Deutsch" }).click();
    await heading(page, titles.de);
    expect(await page.getByRole("button", { name: "Deutsch" }).getAttribute("aria-pressed")).toBe("true");
    expect(await page.getByRole("navigation").getAttribute("aria-label")).toBe("Sprache");
    await page.reload();
    await heading(page, titles.de);
    await page.getByRole("button", { name: "English" }).click();
    await heading(page, `You are #${fmt("en", queue.position)} in line`);
    await page.context().close();
  }, 180_000);

  test("a release manager pauses with a message in the console; the open owner page shows the notice", async () => {
    const rollout = await seedRollout(server);
    const owner = await browser.page({ locale: "en-GB" });
    await owner.goto(`${server.base}/t/${rollout.owner.code}`);
    await owner.locator(".status h1").waitFor();
    expect(await owner.locator(".notice").count()).toBe(0);

    const manager = await browser.page();
    await manager.goto(`${server.base}/console`);
    await manager.getByLabel("API key").fill(rollout.managerKey);
    await manager.getByRole("button", { name: "Sign in" }).click();
    await manager.getByRole("link", { name: rollout.version }).click();
    await manager.getByRole("button", { name: "Pause", exact: true }).click();
    const dialog = manager.getByRole("dialog");
    await dialog.getByLabel("Public message for owners (English)").fill("Paused while we look into a charging issue.");
    await dialog.getByRole("button", { name: "Pause rollout" }).click();
    await manager.locator(".release-summary .badge", { hasText: "paused" }).first().waitFor();
    await manager.context().close();

    // An owner's answer may be kept up to 2 s, by the server and the browser together (owner-answer cache): let that pass first.
    await owner.waitForTimeout(2_100);
    // The open page refreshes itself (here: at once, as it does when the network comes back).
    await owner.evaluate(() => window.dispatchEvent(new Event("online")));
    await owner.getByRole("heading", { name: "Rollout paused" }).first().waitFor({ timeout: 15_000 });
    await owner.getByText("Paused while we look into a charging issue.").first().waitFor();
    await owner.getByText("No estimate while the rollout is paused.").waitFor();
    await screenshot(owner, "owner-en-paused");
    await owner.context().close();
  }, 180_000);

  test("explains in words why a car is not eligible, and when it is already up to date", async () => {
    const rollout = await seedRollout(server, 50);
    const register = async (overrides: Record<string, string>) => {
      const vin = Array.from({ length: 17 }, () => "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"[Math.floor(Math.random() * 33)]).join("");
      const body = { model: "model3", hardware: "HW4", region: rollout.region, channel: "stable", cohort: "standard", firmware: "2026.38.2", ...overrides };
      const res = await server.api<{ ownerCode: string }>("PUT", `/v1/vehicles/${vin}`, { key: rollout.managerKey, json: body });
      expect(res.status).toBe(201);
      return res.data.ownerCode;
    };
    const elsewhere = await register({ region: "ZZ" });
    const newer = await register({ firmware: "2999.1.0" });

    const page = await browser.page();
    await page.goto(`${server.base}/t/${elsewhere}`);
    await heading(page, en.notEligibleTitle);
    await page.getByText(en.notEligibleText.replace("{version}", rollout.version)).waitFor();
    // the API's reasonCode, in the reader's language
    await page.locator(".status .reason").filter({ hasText: en.reasonRegion }).waitFor();
    await screenshot(page, "owner-en-not-eligible");
    await page.goto(`${server.base}/t/${newer}`);
    await heading(page, en.upToDateTitle);
    await page.getByText(en.upToDateText.replace("{firmware}", "2999.1.0")).waitFor();
    await page.context().close();
  }, 120_000);

  test("says so when the server cannot be reached, and recovers on retry", async () => {
    const rollout = await seedRollout(server);
    const page = await browser.page();
    await page.goto(`${server.base}/t/${rollout.owner.code}`);
    await page.locator(".status h1").waitFor();
    await page.route("**/v1/track/**", (route) => route.abort("connectionrefused"));
    await page.evaluate(() => window.dispatchEvent(new Event("online")));
    const alert = page.locator(".connection-problem");
    await alert.getByText(/We can't reach the server right now\. We'll try again in \d+ seconds\./).waitFor();
    expect(await page.locator(".status h1").isVisible()).toBe(true); // the last known status stays
    await screenshot(page, "owner-en-unreachable");
    await page.unroute("**/v1/track/**");
    await page.getByRole("button", { name: "Try again now" }).click();
    await alert.waitFor({ state: "hidden" });
    await page.context().close();
  }, 120_000);

  test("an unknown code is explained in words; the landing page takes a code or a whole link", async () => {
    const rollout = await seedRollout(server, 50);
    const page = await browser.page({ locale: "de-DE" });
    await page.goto(`${server.base}/t/this-code-does-not-exist-at-all`);
    await heading(page, de.unknownCodeHeading);
    await page.getByText(de.unknownCodeText).waitFor();
    await page.goto(`${server.base}/`);
    await heading(page, de.codeHeading);
    await page.getByRole("button", { name: de.codeSubmit }).click();
    await page.getByText(de.codeRequired).waitFor();
    await page.getByLabel(de.codeLabel).fill(`${server.base}/t/${rollout.owner.code}`);
    await page.getByRole("button", { name: de.codeSubmit }).click();
    await page.waitForURL(`**/t/${rollout.owner.code}`);
    await page.locator(".status h1").waitFor();
    await page.context().close();
  }, 120_000);
});

// Issue #12, owner page in Chromium: counts that add up, the wave badge
// following the release, words for the place in line, the car's facts, the
// timeline's order and re-plans, and the not-eligible page.
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import type { Track } from "../../src/routes/track/track.schemas";
import { de } from "../../web/owner/messages-de";
import { en } from "../../web/owner/messages-en";
import { nl } from "../../web/owner/messages-nl";
import { hasChromium, type launchBrowser, phone, screenshot, withServerAndBrowser } from "./browser";
import { type Rollout, seedRollout } from "./rollout-data";
import type { Server } from "./server";

const fmt = (locale: string, n: number) => new Intl.NumberFormat(locale).format(n);

describe.runIf(hasChromium)("owner page: the status in numbers and words", () => {
  let server: Server;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  withServerAndBrowser((s, b) => {
    [server, browser] = [s, b];
  });

  const offeredCount = async (rollout: Rollout) => {
    const progress = await server.api<{ waves: { offered: number }[] }>("GET", `/v1/releases/${rollout.version}/progress`, { key: rollout.managerKey });
    return progress.data.waves.reduce((sum, w) => sum + w.offered, 0);
  };
  const installedCode = async (rollout: Rollout) => {
    const first = await server.api<{ entries: { vin: string; state: string }[] }>("GET", `/v1/releases/${rollout.version}/queue?wave=1&state=installed&limit=1`, { key: rollout.managerKey });
    const vin = first.data.entries[0]?.vin;
    if (!vin) throw new Error("no installed car");
    return rollout.codes.get(vin)!;
  };
  const h1 = (page: Page) => page.locator(".status h1").waitFor({ timeout: 15_000 });
  const stopRelease = (rollout: Rollout, action: "pause" | "halt") =>
    server.api("POST", `/v1/releases/${rollout.version}/${action}`, { key: rollout.managerKey, json: action === "halt" ? { reason: "e2e", message: "Stopped for a test." } : { message: "Paused for a test." } });

  test("an installed car sees how many were really offered, with no 'ahead' or 'after'; the steps are all done", async () => {
    const rollout = await seedRollout(server, 300);
    const offered = await offeredCount(rollout);
    expect(offered).toBeGreaterThan(0);
    const page = await browser.page({ locale: "en-US" });
    await page.goto(`${server.base}/t/${await installedCode(rollout)}`);
    await page.getByRole("heading", { level: 1, name: en.installedTitle }).waitFor({ timeout: 15_000 });
    const summary = await page.locator(".wave .chart-summary").innerText();
    expect(summary).toContain(`${fmt("en", offered)} of ${fmt("en", 300)} cars`);
    expect(summary).not.toMatch(/ahead|after you/);
    expect(await page.locator(".steps li").count()).toBe(5);
    expect(await page.locator(".steps li.step-done").count()).toBe(5);
    await screenshot(page, "owner-en-installed");
    await page.context().close();
  }, 120_000);

  test("the wave badge says paused or stopped with the release; a halted page shows no 'ahead' and no line chart", async () => {
    // On a channel of its own: once halted, no other test's release is the newest its cars see.
    const rollout = await seedRollout(server, 300, "beta");
    // The owner's wave must be the active one for the badge to matter: advance to the last wave.
    for (let i = 0; i < 2; i++) await server.api("POST", `/v1/releases/${rollout.version}/advance`, { key: rollout.managerKey });
    expect((await stopRelease(rollout, "pause")).status).toBe(200);
    const page = await browser.page({ locale: "de-DE" });
    await page.goto(`${server.base}/t/${rollout.owner.code}`);
    await h1(page);
    await page.locator(".wave .badge", { hasText: de.wavePaused }).waitFor();
    expect(await page.locator(".wave .badge").innerText()).not.toBe(de.waveActive);

    expect((await stopRelease(rollout, "halt")).status).toBe(200);
    await page.waitForTimeout(2_100); // the owner-answer cache (2 s, server and browser together)
    await page.reload();
    await page.getByRole("heading", { level: 1, name: de.cancelledTitle }).waitFor({ timeout: 15_000 });
    expect(await page.locator("main").innerText()).not.toMatch(/vor Ihnen/);
    expect(await page.locator(".wave canvas:visible").count()).toBe(0);
    await screenshot(page, "owner-de-halted");
    await page.context().close();
  }, 120_000);

  test("place in line and 'ahead' are explained in words; waiting cars exclude the ones done; model name, VIN on one line, 24-hour en-GB times", async () => {
    const rollout = await seedRollout(server, 1200);
    const track = (await server.api<Track>("GET", `/v1/track/${rollout.owner.code}`)).data;
    const q = track.queue!;
    const offered = await offeredCount(rollout);
    const page = await browser.page({ locale: "en-GB", device: phone });
    await page.goto(`${server.base}/t/${rollout.owner.code}`);
    await h1(page);
    const hero = await page.locator(".hero").innerText();
    const before = q.position - 1 - q.ahead;
    expect(hero).toContain(en.queuedExplained.replace("{before}", fmt("en", before)).replace("{ahead}", fmt("en", q.ahead)).replace("{position}", fmt("en", q.position)));
    expect(hero).toContain(fmt("en", 1200 - offered));
    expect(hero).not.toContain(`Out of ${fmt("en", 1200)}`);
    await page.locator(".car dd", { hasText: /^Model (3|Y)$/ }).waitFor();
    const vin = page.locator(".car .vin");
    const box = (await vin.boundingBox())!;
    const lineHeight = await vin.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight));
    expect(box.height).toBeLessThan(lineHeight * 1.5);
    const times = await page.locator(".timeline time").allInnerTexts();
    expect(times.length).toBeGreaterThan(0);
    for (const time of times) expect(time).not.toMatch(/am|pm/i);
    expect(times.join(" ")).toMatch(/\b\d{2}:\d{2}\b/);
    await page.context().close();
  }, 120_000);

  test("events at the same moment read in the order they happened; a re-plan that moved the car leaves a timeline entry", async () => {
    const rollout = await seedRollout(server, 300);
    const page = await browser.page({ locale: "en-US" });
    await page.goto(`${server.base}/t/${await installedCode(rollout)}`);
    await page.getByRole("heading", { level: 1, name: en.installedTitle }).waitFor({ timeout: 15_000 });
    const starts: string[] = [en.tlOffered, en.tlWaveOpened, en.tlQueued];
    const whats = (await page.locator(".timeline .tl-what").allInnerTexts()).filter((what) => starts.includes(what));
    // Newest first: offered after the wave opened after joining, all at the release's start.
    expect(whats).toEqual(starts);
    await page.context().close();

    const release = await server.api<{ waves: { name: string; share: number; ratePerHour: number | null }[] }>("GET", `/v1/releases/${rollout.version}`, { key: rollout.managerKey });
    const etag = release.headers.get("etag")!;
    const waves = [
      { name: "early", share: 2 },
      { name: "adopters", share: 25, ratePerHour: 200 },
      { name: { en: "majority", nl: "meerderheid", de: "Mehrheit" }, share: 50, ratePerHour: 400 },
      { name: { en: "everyone", nl: "iedereen", de: "alle" }, share: 100, ratePerHour: 400 },
    ];
    const replanned = await server.api("PUT", `/v1/releases/${rollout.version}/waves`, { key: rollout.managerKey, json: { waves }, headers: { "if-match": etag } });
    expect(replanned.status).toBe(200);
    const owner = await browser.page({ locale: "nl-NL" });
    await owner.goto(`${server.base}/t/${rollout.owner.code}`);
    await h1(owner);
    await owner.locator(".timeline .tl-replanned", { hasText: nl.tlReplanned.replace("{index}", "4").replace("{name}", "iedereen") }).waitFor();
    await owner.context().close();
  }, 120_000);

  test("the not-eligible page shows no notes of the update that is not for the car, and keeps its version in Dutch and German", async () => {
    const rollout = await seedRollout(server, 40);
    const vin = Array.from({ length: 17 }, () => "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"[Math.floor(Math.random() * 33)]).join("");
    const body = { model: "model3", hardware: "HW4", region: "ZZ", channel: "stable", cohort: "standard", firmware: "2026.38.2" };
    const created = await server.api<{ ownerCode: string }>("PUT", `/v1/vehicles/${vin}`, { key: rollout.managerKey, json: body });
    for (const [locale, messages] of [["nl-NL", nl], ["de-DE", de]] as const) {
      const page = await browser.page({ locale, device: phone });
      await page.goto(`${server.base}/t/${created.data.ownerCode}`);
      await page.getByRole("heading", { level: 1, name: messages.notEligibleTitle }).waitFor({ timeout: 15_000 });
      const text = await page.locator("main").innerText();
      expect(text).toContain(rollout.version);
      expect(text).toContain("2026.38.2");
      expect(text).not.toContain("Faster DC charging");
      await screenshot(page, `owner-${locale.slice(0, 2)}-phone-not-eligible`);
      await page.context().close();
    }
  }, 120_000);
});

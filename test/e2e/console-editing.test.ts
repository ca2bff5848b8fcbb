// Editing in the console, in Chromium against the real server: text owners
// read is written per language and kept, the wave editor works on a phone
// and never offers to rewrite history, the installs chart reads at a glance,
// and the audit log says what changed field by field.
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import type { Release } from "../../src/routes/releases/releases.schemas";
import type { Track } from "../../src/routes/track/track.schemas";
import { errorsIn, hasChromium, type launchBrowser, screenshot, withServerAndBrowser, signInToConsole } from "./browser";
import { type Rollout, seedRollout } from "./rollout-data";
import type { Server } from "./server";

const narrow = { viewport: { width: 360, height: 800 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

describe.runIf(hasChromium)("console editing in Chromium", () => {
  let server: Server;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  withServerAndBrowser((s, b) => {
    [server, browser] = [s, b];
  });

  const signIn = (page: Page, key: string) => signInToConsole(page, server.base, key);

  async function openRelease(page: Page, version: string) {
    await page.goto(`${server.base}/console#/releases/${encodeURIComponent(version)}`);
    await page.getByRole("heading", { name: `Release ${version}` }).waitFor();
    await page.getByText(/^Updated /).waitFor();
  }

  async function replan(rollout: Rollout, change: (waves: Record<string, unknown>[]) => void) {
    const current = await server.api<Release>("GET", `/v1/releases/${rollout.version}`, { key: rollout.managerKey });
    const waves = current.data.waves.map(({ name, share, ratePerHour, startAt, autoAdvance, stopAt }) =>
      Object.fromEntries(Object.entries({ name, share, ratePerHour, startAt, autoAdvance, stopAt }).filter(([, v]) => v !== null)),
    );
    change(waves);
    const res = await server.api("PUT", `/v1/releases/${rollout.version}/waves`, { key: rollout.managerKey, json: { waves }, headers: { "if-match": current.headers.get("etag")! } });
    expect(res.status).toBe(200);
  }

  test("wave names, release notes, UN R156 fields and the pause message are written per language, and saving keeps every language", async () => {
    const rollout = await seedRollout(server, 100);
    await replan(rollout, (waves) => {
      waves[0]!.name = { en: "early", nl: "vroeg", de: "früh" };
    });
    const page = await browser.page();
    await signIn(page, rollout.managerKey);
    await openRelease(page, rollout.version);

    // The wave editor shows every language and sends them all back.
    expect(await page.getByLabel("Wave 1 name (Dutch)").inputValue()).toBe("vroeg");
    expect(await page.getByLabel("Wave 1 name (German)").inputValue()).toBe("früh");
    await page.getByLabel("Wave 2 name (Dutch)").fill("vroege gebruikers");
    await page.getByRole("button", { name: "Preview impact" }).click();
    await page.getByText("No vehicle changes wave.").waitFor();
    await page.getByRole("button", { name: "Apply plan" }).click();
    await page.getByRole("status").filter({ hasText: "saved" }).waitFor();
    const afterPlan = await server.api<Release>("GET", `/v1/releases/${rollout.version}`, { key: rollout.managerKey });
    expect(afterPlan.data.waves[0]!.name).toEqual({ en: "early", nl: "vroeg", de: "früh" });
    expect(afterPlan.data.waves[1]!.name).toEqual({ en: "adopters", nl: "vroege gebruikers" });

    // What owners read about the release: notes and UN R156 fields, per language.
    const info = page.getByRole("region", { name: "What owners read" });
    expect(await info.getByLabel("Release notes (English)").inputValue()).toContain("Faster DC charging");
    await info.getByLabel("Release notes (Dutch)").fill("Sneller snelladen op koude dagen.");
    await info.getByLabel("Release notes (German)").fill("Schnelleres Laden an kalten Tagen.");
    await info.getByLabel("Purpose").selectOption("feature");
    await info.getByLabel("Install time (minutes)").fill("25");
    await info.getByLabel("Instructions (English)").fill("Park the car\nConnect to Wi-Fi");
    await info.getByLabel("Instructions (Dutch)").fill("Parkeer de auto\nVerbind met wifi");
    await info.getByLabel("Unavailable during (German)").fill("Fahren");
    await info.getByLabel("Unavailable during (English)").fill("Driving");
    await info.getByRole("button", { name: "Save" }).click();
    await page.getByRole("status").filter({ hasText: "saved" }).waitFor();
    const saved = (await server.api<Release>("GET", `/v1/releases/${rollout.version}`, { key: rollout.managerKey })).data;
    expect(saved.notes).toEqual({ en: "Faster DC charging on cold days.\nNew trip planner with live charger availability.", nl: "Sneller snelladen op koude dagen.", de: "Schnelleres Laden an kalten Tagen." });
    expect(saved.purpose).toBe("feature");
    expect(saved.installMinutes).toBe(25);
    expect(saved.instructions).toEqual({ en: ["Park the car", "Connect to Wi-Fi"], nl: ["Parkeer de auto", "Verbind met wifi"] });
    expect(saved.unavailableDuring).toEqual({ en: ["Driving"], de: ["Fahren"] });
    await screenshot(page, "console-release-editing-desktop");

    // The pause message owners read, per language.
    await page.getByRole("button", { name: "Pause" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Public message for owners (English)").fill("Paused while we look into a charging issue.");
    await dialog.getByLabel("Public message for owners (Dutch)").fill("Gepauzeerd terwijl we een laadprobleem onderzoeken.");
    await dialog.getByRole("button", { name: "Pause rollout" }).click();
    await page.getByRole("status").filter({ hasText: "paused" }).waitFor();
    const track = await server.api<Track>("GET", `/v1/track/${rollout.owner.code}?lang=nl`);
    expect(track.data.notice?.message).toBe("Gepauzeerd terwijl we een laadprobleem onderzoeken.");
    expect(errorsIn(page)).toEqual([]);
    await page.context().close();
  }, 180_000);

  test("on a 360 px phone the wave editor shows a rate of 1200 whole, hints at sideways scrolling, and offers no way to delete or move a done wave", async () => {
    const rollout = await seedRollout(server, 200);
    await replan(rollout, (waves) => {
      waves[1]!.ratePerHour = 1200;
    });
    expect((await server.api("POST", `/v1/releases/${rollout.version}/advance`, { key: rollout.managerKey })).status).toBe(200);
    const page = await browser.page({ device: narrow });
    await signIn(page, rollout.managerKey);
    await openRelease(page, rollout.version);

    const rate = page.getByLabel("Wave 2 offers per hour (blank: all at once)");
    expect(await rate.inputValue()).toBe("1200");
    // The digits fit inside the field's content box (they were cut off to "120").
    const room = await rate.evaluate((input: HTMLInputElement) => {
      const style = getComputedStyle(input);
      const probe = document.createElement("span");
      probe.style.font = style.font;
      probe.style.letterSpacing = style.letterSpacing;
      probe.style.position = "absolute";
      probe.textContent = input.value;
      document.body.append(probe);
      const text = probe.getBoundingClientRect().width;
      probe.remove();
      const content = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      // Less what a number input's spin buttons take when they show (hover, focus).
      return content - text - 16;
    });
    expect(room).toBeGreaterThan(0);

    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    // Every table that scrolls sideways says so where it can be seen, and can be scrolled from the keyboard.
    const scrollers = await page.evaluate(() =>
      [...document.querySelectorAll("table")]
        .map((table) => table.parentElement!)
        .filter((wrap) => wrap.scrollWidth > wrap.clientWidth + 1)
        .map((wrap) => {
          const hint = document.getElementById(wrap.getAttribute("aria-describedby") ?? "");
          return { focusable: wrap.tabIndex === 0, hint: hint && hint.getClientRects().length > 0 ? hint.textContent : null };
        }),
    );
    expect(scrollers.length).toBeGreaterThan(0);
    for (const s of scrollers) expect(s).toEqual({ focusable: true, hint: expect.stringMatching(/sideways/) });

    // Wave 1 is done: it cannot be removed and its share cannot move.
    expect(await page.getByRole("button", { name: "Remove wave 1" }).count()).toBe(0);
    expect(await page.getByLabel("Wave 1 cumulative share (%)").isEditable()).toBe(false);
    expect(await page.getByRole("button", { name: "Remove wave 3" }).count()).toBe(1);
    await screenshot(page, "console-release-phone-360");
    expect(errorsIn(page)).toEqual([]);
    await page.context().close();
  }, 180_000);

  test("installs over time are hourly bars with the cumulative line across the chart; the audit log shows a re-plan field by field", async () => {
    // 400 cars: wave 1 (2%) has 8, of which 6 install.
    const rollout = await seedRollout(server, 400);
    await replan(rollout, (waves) => {
      waves[1]!.share = 40;
    });
    const page = await browser.page();
    await signIn(page, rollout.managerKey);
    await openRelease(page, rollout.version);
    await page.locator("figure", { hasText: "Installs over time" }).getByText("6 installs reported so far.").waitFor();
    await page.waitForTimeout(600);
    // Read the pixels: the widest run of bar colour, and how far the cumulative line reaches.
    const shape = await page.locator("figure", { hasText: "Installs over time" }).locator("canvas").evaluate((canvas: HTMLCanvasElement) => {
      const { width, height } = canvas;
      const pixels = canvas.getContext("2d")!.getImageData(0, 0, width, height).data;
      const near = (i: number, [r, g, b]: number[]) => Math.abs(pixels[i]! - r!) < 12 && Math.abs(pixels[i + 1]! - g!) < 12 && Math.abs(pixels[i + 2]! - b!) < 12;
      let widestBar = 0;
      let lineLeft = width;
      let lineRight = 0;
      for (let y = 0; y < height * 0.85; y++) {
        let run = 0;
        for (let x = 0; x < width; x++) {
          const i = (y * width + x) * 4;
          run = near(i, [29, 122, 70]) ? run + 1 : 0;
          widestBar = Math.max(widestBar, run);
          if (near(i, [23, 33, 43])) [lineLeft, lineRight] = [Math.min(lineLeft, x), Math.max(lineRight, x)];
        }
      }
      return { widestBar: widestBar / width, lineSpan: (lineRight - lineLeft) / width };
    });
    expect(shape.widestBar).toBeGreaterThan(0);
    expect(shape.widestBar).toBeLessThan(0.15);
    expect(shape.lineSpan).toBeGreaterThan(0.5);
    await screenshot(page, "console-release-charts-desktop");

    await page.getByRole("link", { name: "Audit log" }).click();
    const entry = page.getByRole("row").filter({ hasText: "waves.replanned" }).first();
    await entry.waitFor();
    const change = entry.getByRole("table", { name: "What changed" });
    await change.getByRole("row").filter({ hasText: /waves.*2.*share/ }).filter({ hasText: "25" }).filter({ hasText: "40" }).waitFor();
    expect(await page.locator("pre").filter({ hasText: "{" }).count()).toBe(0);
    await screenshot(page, "console-audit-desktop");
    expect(errorsIn(page)).toEqual([]);
    await page.context().close();
  }, 180_000);
});

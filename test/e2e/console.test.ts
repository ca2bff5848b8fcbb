// The console in Debian's Chromium, against the real server on a real
// (PGlite) database: sign-in, the wave editor's preview-then-apply, and
// support's vehicle lookup with share links and cases.
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { errorsIn, hasChromium, type launchBrowser, screenshot, withServerAndBrowser, signInToConsole } from "./browser";
import { seedRollout } from "./rollout-data";
import type { Server } from "./server";

describe.runIf(hasChromium)("console in Chromium", () => {
  let server: Server;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  withServerAndBrowser((s, b) => {
    [server, browser] = [s, b];
  });

  const signIn = (page: Page, key: string) => signInToConsole(page, server.base, key);

  test("sign-in refuses a bad key in words and keeps a good one in the tab's session, never in the URL", async () => {
    const rollout = await seedRollout(server, 100);
    const page = await browser.page();
    await page.goto(`${server.base}/console`);
    await page.getByLabel("API key").fill("rtk_not-a-real-key-at-all");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "not valid" }).waitFor();

    await page.getByLabel("API key").fill(rollout.managerKey);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("link", { name: rollout.version }).waitFor();
    await screenshot(page, "console-releases-desktop");
    expect(page.url()).not.toContain(rollout.managerKey);
    expect(await page.evaluate(() => Object.values(sessionStorage))).toContain(rollout.managerKey);
    expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain(rollout.managerKey);
    await page.getByRole("link", { name: "Audit log" }).click();
    await page.getByRole("cell", { name: "release.started" }).first().waitFor();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("API key").waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.context().close();
  }, 120_000);

  test("a release shows live charts; a re-plan shows its dryRun impact before it can be applied", async () => {
    const rollout = await seedRollout(server);
    const page = await browser.page();
    await signIn(page, rollout.managerKey);
    await page.getByRole("link", { name: rollout.version }).click();
    await page.getByRole("heading", { name: `Release ${rollout.version}` }).waitFor();
    for (const title of ["Vehicles per wave", "Failure rate per wave", "Installs over time", "Forecast"]) {
      const figure = page.locator("figure", { hasText: title });
      expect((await figure.locator("canvas").boundingBox())!.height).toBeGreaterThan(100);
    }
    await page.locator("figure", { hasText: "Failure rate" }).getByText(/Wave 1: 8(\.|,)3%/).waitFor();
    await page.locator("figure", { hasText: "Installs over time" }).getByText("22 installs reported so far.").waitFor();

    const share = page.getByLabel("Wave 2 cumulative share (%)");
    expect(await share.inputValue()).toBe("25");
    await share.fill("40");
    const apply = page.getByRole("button", { name: "Apply plan" });
    expect(await apply.isDisabled()).toBe(true);
    await page.getByRole("button", { name: "Preview impact" }).click();
    await page.getByText("180 vehicles change wave.").waitFor();
    await page.getByText("180 from wave 3 to wave 2").waitFor();
    await screenshot(page, "console-release-desktop");
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "console-release-phone");
    await page.setViewportSize({ width: 1280, height: 900 });
    await apply.click();
    await page.getByRole("status").filter({ hasText: "saved" }).waitFor();
    const saved = await server.api<{ waves: { share: number }[] }>("GET", `/v1/releases/${rollout.version}`, { key: rollout.managerKey });
    expect(saved.data.waves.map((w) => w.share)).toEqual([2, 40, 100]);

    // A plan that breaks the rules is refused in words, with the field marked.
    await share.fill("1");
    await page.getByRole("button", { name: "Preview impact" }).click();
    await page.locator(".wave-editor [role=alert]").filter({ hasText: /share/ }).waitFor();
    expect(await share.getAttribute("aria-invalid")).toBe("true");
    expect(errorsIn(page)).toEqual([]);
    await page.context().close();
  }, 180_000);

  test("state buttons come from the release's allowedActions and the role: none the server would refuse", async () => {
    const rollout = await seedRollout(server, 100);
    const paused = await server.api("POST", `/v1/releases/${rollout.version}/pause`, { key: rollout.managerKey, json: { message: "Looking into it" } });
    expect(paused.status).toBe(200);
    const draft = `${3000 + Math.floor(Math.random() * 5000)}.${Math.floor(Math.random() * 50)}.1`;
    const created = await server.api("POST", "/v1/releases", { key: rollout.managerKey, json: { version: draft, channel: "beta", eligibility: { regions: [rollout.region] } } });
    const planned = await server.api("PUT", `/v1/releases/${draft}/waves`, { key: rollout.managerKey, json: { waves: [{ name: "all", share: 100 }] }, headers: { "if-match": created.headers.get("etag")! } });
    expect(planned.status).toBe(200);

    const page = await browser.page();
    const buttonsOf = async (version: string) => {
      await page.goto(`${server.base}/console#/releases/${encodeURIComponent(version)}`);
      await page.getByRole("heading", { name: `Release ${version}` }).waitFor();
      await page.getByRole("heading", { name: "Live progress" }).waitFor();
      await page.getByText(/^Updated /).waitFor();
      const group = page.getByRole("group", { name: "Release actions" });
      return (await group.count()) ? group.getByRole("button").allTextContents() : [];
    };
    await signIn(page, rollout.managerKey);
    // Paused: the server refuses advance, so no Advance button; a draft cannot be halted.
    expect(await buttonsOf(rollout.version)).toEqual(["Resume", "Halt"]);
    expect(await buttonsOf(draft)).toEqual(["Start"]);

    await page.getByRole("button", { name: "Sign out" }).click();
    await signIn(page, rollout.supportKey);
    expect(await buttonsOf(rollout.version)).toEqual([]);
    expect(await page.getByRole("button", { name: /^(Start|Pause|Resume|Advance|Halt)$/ }).count()).toBe(0);
    expect(errorsIn(page)).toEqual([]);
    await page.context().close();
  }, 180_000);

  test("support looks up a VIN, sends a share link that opens, links a case, and revokes the link", async () => {
    const rollout = await seedRollout(server, 200);
    const page = await browser.page({ permissions: ["clipboard-read", "clipboard-write"] });
    await signIn(page, rollout.supportKey);
    expect(await page.getByRole("link", { name: "Audit log" }).count()).toBe(0);
    await page.getByRole("link", { name: "Vehicle lookup" }).click();
    await page.getByLabel("VIN").fill(rollout.owner.vin.toLowerCase());
    await page.getByRole("button", { name: "Look up" }).click();
    await page.getByRole("heading", { name: "Timeline" }).waitFor();
    await page.getByRole("cell", { name: String(rollout.owner.position) }).waitFor();

    await page.getByRole("button", { name: "Create share link" }).click();
    const link = page.getByLabel("Share link", { exact: true });
    await link.waitFor();
    const url = await link.inputValue();
    expect(url).toMatch(/\/t\/[A-Za-z0-9_-]{16,}$/);
    await page.getByRole("button", { name: "Copy link" }).click();
    await page.getByRole("status").filter({ hasText: "copied" }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);

    const owner = await browser.page({ locale: "nl-NL" });
    await owner.goto(url);
    await owner.getByRole("heading", { level: 1, name: /Je bent #\d+ in de rij/ }).waitFor();

    await page.getByLabel("Case reference").fill("ZD-123456");
    await page.getByLabel("Summary").fill("Owner asks when the update arrives");
    await page.getByRole("button", { name: "Link case" }).click();
    await page.getByText(/ZD-123456/).first().waitFor();
    await page.locator(".timeline").getByText(/Case ZD-123456 linked/).waitFor();
    await screenshot(page, "console-vehicle-desktop");

    await page.getByRole("button", { name: /^Revoke #/ }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke link" }).click();
    await page.getByText(/revoked/).first().waitFor();
    // An owner's answer is kept up to 2 s, by the server and the browser together (README: owner-answer cache).
    await owner.waitForTimeout(2_100);
    await owner.reload();
    await owner.getByText("Deze volgcode kennen we niet", { exact: false }).waitFor();
    expect([...errorsIn(page), ...errorsIn(owner)]).toEqual([]);
    await owner.context().close();
    await page.context().close();
  }, 180_000);
});

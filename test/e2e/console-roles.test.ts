// Who sees what in the console, in Chromium against the real server: each
// role is offered only what the API lets it do, and support's vehicle view
// answers "when is it my turn?" with exactly what the owner sees.
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import type { VehicleDetail } from "../../src/routes/vehicles/vehicles.schemas";
import { errorsIn, hasChromium, type launchBrowser, phone, screenshot, withServerAndBrowser, signInToConsole } from "./browser";
import { seedRollout } from "./rollout-data";
import type { Server } from "./server";

const sidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe.runIf(hasChromium)("console roles and support answers in Chromium", () => {
  let server: Server;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  withServerAndBrowser((s, b) => {
    [server, browser] = [s, b];
  });

  const signIn = (page: Page, key: string) => signInToConsole(page, server.base, key);

  test("a release manager opens a VIN from the queue and gets the vehicle, without support-only forms; support gets no audit log, only a friendly word", async () => {
    const rollout = await seedRollout(server, 100);
    const page = await browser.page();
    await signIn(page, rollout.managerKey);
    expect(await page.getByRole("link", { name: "Vehicle lookup" }).count()).toBe(1);
    await page.getByRole("link", { name: rollout.version }).click();
    const firstVin = page.getByRole("region", { name: "Queue" }).getByRole("link").first();
    const vin = await firstVin.textContent();
    await firstVin.click();
    await page.getByRole("heading", { name: "Timeline" }).waitFor();
    await page.getByRole("heading", { name: "What the owner sees" }).waitFor();
    expect(page.url()).toContain(`#/vehicles/${vin}`);
    expect(await page.getByRole("alert").filter({ hasText: /\S/ }).count()).toBe(0);
    // Share links and cases are support's (the API refuses them to release managers): not offered.
    expect(await page.getByRole("button", { name: "Create share link" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Link case" }).count()).toBe(0);
    await screenshot(page, "console-vehicle-manager-desktop");

    await page.getByRole("button", { name: "Sign out" }).click();
    await signIn(page, rollout.supportKey);
    expect(await page.getByRole("link", { name: "Audit log" }).count()).toBe(0);
    await page.goto(`${server.base}/console#/audit`);
    await page.getByRole("heading", { level: 1, name: "Not for your role" }).waitFor();
    expect(await page.getByRole("alert").filter({ hasText: /\S/ }).count()).toBe(0);
    expect(await page.getByText("403").count()).toBe(0);
    await screenshot(page, "console-audit-support-desktop");

    // The bootstrap admin may do everything: audit, release actions, share links.
    await page.getByRole("button", { name: "Sign out" }).click();
    await signIn(page, server.adminToken);
    await page.locator("#account").getByText("Admin").waitFor();
    await page.getByRole("link", { name: "Audit log" }).click();
    await page.getByRole("cell", { name: "release.started" }).first().waitFor();
    await page.goto(`${server.base}/console#/vehicles/${vin}`);
    await page.getByRole("button", { name: "Create share link" }).waitFor();
    expect(errorsIn(page)).toEqual([]);
    await page.context().close();
  }, 180_000);

  test("support's vehicle view shows the owner's wave, ahead, position and ETA, and the standard answer in three languages with copy buttons; it fits a phone", async () => {
    const rollout = await seedRollout(server, 600);
    // Wave 2 opens now at 200 an hour, so its cars have an ETA.
    expect((await server.api("POST", `/v1/releases/${rollout.version}/advance`, { key: rollout.managerKey })).status).toBe(200);
    const waiting = await server.api<{ entries: { vin: string }[] }>("GET", `/v1/releases/${rollout.version}/queue?wave=2&state=queued&limit=100`, { key: rollout.managerKey });
    const vin = waiting.data.entries.at(-1)!.vin;
    const { data: detail } = await server.api<VehicleDetail>("GET", `/v1/vehicles/${vin}`, { key: rollout.supportKey });
    const { queue, eta } = detail.status;
    expect(queue?.wave?.index).toBe(2);
    expect(eta).not.toBeNull();

    const page = await browser.page({ device: phone, permissions: ["clipboard-read", "clipboard-write"] });
    await signIn(page, rollout.supportKey);
    await page.goto(`${server.base}/console#/vehicles/${vin}`);
    const seen = page.getByRole("region", { name: "What the owner sees" });
    await seen.waitFor();
    const fmt = (n: number) => n.toLocaleString("en-US");
    await seen.getByText(`#${fmt(queue!.position)} of ${fmt(queue!.total)}`).waitFor();
    await seen.getByText(`${fmt(queue!.ahead)} ahead`).waitFor();
    await seen.getByText(`Wave 2 · ${queue!.wave!.name}`).waitFor();
    // The ETA range, as the owner reads it a moment later (it moves with the clock, by seconds).
    const shown = await seen.locator("time").evaluateAll((times) => times.map((t) => Date.parse(t.getAttribute("datetime") ?? "")));
    expect(shown).toHaveLength(2);
    expect(Math.abs(shown[0]! - Date.parse(eta!.earliest))).toBeLessThan(120_000);
    expect(Math.abs(shown[1]! - Date.parse(eta!.latest))).toBeLessThan(120_000);

    const answers = page.getByRole("region", { name: "Standard answer" });
    for (const [lang, label] of [["en", "English"], ["nl", "Dutch"], ["de", "German"]] as const) {
      expect((await answers.getByRole("group", { name: label }).textContent())?.replace(/\s+/g, " ")).toContain(detail.answer[lang].replace(/\s+/g, " "));
    }
    await answers.getByRole("button", { name: "Copy Dutch answer" }).click();
    await page.getByRole("status").filter({ hasText: "copied" }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(detail.answer.nl);

    expect(await sidewaysScroll(page)).toBeLessThanOrEqual(0);
    await screenshot(page, "console-vehicle-support-phone");
    await page.setViewportSize({ width: 360, height: 800 });
    expect(await sidewaysScroll(page)).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 900 });
    await screenshot(page, "console-vehicle-support-desktop");
    expect(errorsIn(page)).toEqual([]);
    await page.context().close();
  }, 180_000);
});

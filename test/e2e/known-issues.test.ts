// Known issues in Chromium against the real server: support publishes one in
// the console and marks it fixed, release managers see cases per 1,000 beside
// the failure chart, support picks the issue when linking a case, and the
// owner reads it on their page in their language.
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { errorsIn, hasChromium, type launchBrowser, screenshot, withServerAndBrowser, signInToConsole } from "./browser";
import { seedRollout } from "./rollout-data";
import type { Server } from "./server";

describe.runIf(hasChromium)("known issues in Chromium", () => {
  let server: Server;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  withServerAndBrowser((s, b) => {
    [server, browser] = [s, b];
  });

  const signIn = (page: Page, key: string) => signInToConsole(page, server.base, key);

  test("support publishes a known issue per language, marks it fixed, and links a case to it; the owner reads it in Dutch", async () => {
    const rollout = await seedRollout(server, 200);
    const page = await browser.page();
    await signIn(page, rollout.supportKey);
    await page.getByRole("link", { name: rollout.version }).click();
    await page.getByRole("heading", { name: "Known issues" }).waitFor();
    await page.getByText("No known issues.").waitFor();
    // Cases per 1,000 offered sits beside the failure-rate chart.
    await page.locator("figure", { hasText: "Support cases per 1,000 offered" }).getByRole("rowheader", { name: "1 · early" }).waitFor();

    await page.getByText("Publish a known issue").click();
    await page.getByLabel("Title (English)").fill("Update stops at 40%");
    await page.getByLabel("Title (Dutch)").fill("Update stopt bij 40%");
    await page.getByLabel("Title (German)").fill("Update stoppt bei 40 %");
    await page.getByLabel("Text for owners (English)").fill("The car retries by itself overnight.");
    await page.getByLabel("Text for owners (Dutch)").fill("De auto probeert het 's nachts opnieuw.");
    await page.getByLabel("Error codes").fill("E_FLASH_VERIFY");
    await page.getByRole("button", { name: "Publish known issue" }).click();
    // The two failed reports of the first wave carry that code.
    const item = page.locator("li.known-issue", { hasText: "Update stops at 40%" });
    await item.getByText(/reported by 2 \(0 case\(s\), 2 failed car\(s\)\)/).waitFor();

    const fixedIn = `${rollout.version.split(".")[0]}.${rollout.version.split(".")[1]}.2`;
    await item.getByLabel("Status").selectOption("fixed");
    await item.getByLabel("Fixed in").fill(fixedIn);
    await item.getByRole("button", { name: "Save" }).click();
    await page.locator("li.known-issue", { hasText: `fixed in ${fixedIn}` }).waitFor();
    await screenshot(page, "console-known-issues");

    // A car whose install failed: the case form offers the matching issue.
    const failedCar = (await server.api<{ entries: { vin: string }[] }>("GET", `/v1/releases/${rollout.version}/queue?state=failed`, { key: rollout.supportKey })).data.entries[0]!.vin;
    await page.getByRole("link", { name: "Vehicle lookup" }).click();
    await page.getByLabel("VIN").fill(failedCar);
    await page.getByLabel("VIN").press("Enter");
    await page.getByLabel("Known issue").selectOption({ label: `Update stops at 40% (fixed, fixed in ${fixedIn}, 2 reports)` });
    await page.getByLabel("Case reference").fill("ZD-424242");
    await page.getByLabel("Summary").fill("Stuck at 40%");
    await page.getByRole("button", { name: "Link case" }).click();
    await page.getByRole("status").filter({ hasText: "ZD-424242" }).waitFor();
    const issues = await server.api<{ knownIssues: { cases: number; reports: number }[] }>("GET", `/v1/releases/${rollout.version}/known-issues`);
    expect(issues.data.knownIssues[0]).toMatchObject({ cases: 1, reports: 2 });
    expect(errorsIn(page)).toEqual([]);
    await page.context().close();

    // The owner (Dutch browser) sees it with the count and the fix, within the 5 s cache bound.
    const owner = await browser.page({ locale: "nl-NL" });
    await owner.goto(`${server.base}/t/${rollout.owner.code}`);
    const section = owner.locator("section.known-issues");
    await section.getByRole("heading", { name: "Bekende problemen" }).waitFor();
    await section.getByText("Update stopt bij 40%").waitFor();
    await section.getByText(`opgelost in ${fixedIn} · gemeld door 2 eigenaren`).waitFor();
    await screenshot(owner, "owner-known-issues-nl");
    expect(errorsIn(owner)).toEqual([]);
    await owner.context().close();
  }, 180_000);
});

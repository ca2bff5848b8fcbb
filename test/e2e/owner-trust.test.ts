// Issue #12, owner page in Chromium: what a share link may offer, how a
// mistyped or unknown code is met, and how a failed refresh reads.
import { describe, expect, test } from "vitest";
import { de } from "../../web/owner/messages-de";
import { en } from "../../web/owner/messages-en";
import { nl } from "../../web/owner/messages-nl";
import { desktop, errorsIn, hasChromium, type launchBrowser, phone, screenshot, withServerAndBrowser } from "./browser";
import { seedRollout } from "./rollout-data";
import type { Server } from "./server";

describe.runIf(hasChromium)("owner page: share links, codes and stale answers", () => {
  let server: Server;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  withServerAndBrowser((s, b) => {
    [server, browser] = [s, b];
  });

  test("a share link offers nothing only the owner may do; the owner's own code does, and its errors read in the page's language", async () => {
    const rollout = await seedRollout(server, 60);
    const link = await server.api<{ code: string }>("POST", `/v1/vehicles/${rollout.owner.vin}/share-links`, { key: rollout.supportKey, json: { expiresInHours: 24 } });
    expect(link.status).toBe(201);

    const shared = await browser.page({ locale: "nl-NL" });
    await shared.goto(`${server.base}/t/${link.data.code}`);
    await shared.locator(".status h1").waitFor();
    await shared.locator(".timeline li").first().waitFor();
    expect(await shared.getByRole("button", { name: nl.joinBeta }).count()).toBe(0);
    expect(await shared.locator(".channel").count()).toBe(0);
    await shared.getByText(nl.sharedLinkNote).waitFor();
    await shared.context().close();

    // The owner's own code: the button is there; a refusal is explained in Dutch, not with the server's English detail.
    const own = await browser.page({ locale: "nl-NL" });
    await own.route("**/v1/track/*/channel*", (route) =>
      route.fulfill({ status: 403, contentType: "application/problem+json", body: JSON.stringify({ type: "about:blank", title: "Forbidden", status: 403, detail: "Only the owner's own tracking code can change the channel." }) }),
    );
    own.on("dialog", (dialog) => void dialog.accept());
    await own.goto(`${server.base}/t/${rollout.owner.code}`);
    await own.getByRole("button", { name: nl.joinBeta }).click();
    await own.getByText(nl.channelForbidden).waitFor();
    expect(await own.locator("body").innerText()).not.toContain("Only the owner");
    await own.context().close();
  }, 120_000);

  test("a mistyped, short or unknown code gets a friendly page in the reader's language, with a heading and a field to try again", async () => {
    await seedRollout(server, 40);
    for (const [locale, messages] of [["nl-NL", nl], ["de-DE", de], ["en-GB", en]] as const) {
      for (const path of ["/t/hello", "/t/this-code-does-not-exist-at-all"]) {
        const page = await browser.page({ locale, device: phone });
        await page.goto(`${server.base}${path}`);
        await page.getByRole("heading", { level: 1, name: messages.unknownCodeHeading }).waitFor({ timeout: 15_000 });
        await page.getByLabel(messages.codeLabel).waitFor();
        const text = await page.locator("main").innerText();
        expect(text).not.toMatch(/letters, digits|too_small|Too small|String must|code:/i);
        expect(await page.getByRole("button", { name: messages.retryNow }).count()).toBe(0);
        if (path === "/t/hello") await screenshot(page, `owner-${locale.slice(0, 2)}-phone-unknown-code`);
        expect(errorsIn(page)).toEqual([]);
        await page.context().close();
      }
    }

    // The landing form says so in place, without sending the reader to an error.
    const page = await browser.page({ locale: "de-DE", device: desktop });
    await page.goto(`${server.base}/`);
    await page.getByLabel(de.codeLabel).fill("hello");
    await page.getByRole("button", { name: de.codeSubmit }).click();
    await page.getByText(de.codeMalformed).waitFor();
    expect(new URL(page.url()).pathname).toBe("/");
    await page.context().close();
  }, 180_000);

  test("an open page whose refresh fails keeps the last answer and says how old it is", async () => {
    const rollout = await seedRollout(server, 60);
    const page = await browser.page({ locale: "en-GB" });
    await page.goto(`${server.base}/t/${rollout.owner.code}`);
    await page.locator(".status h1").waitFor();
    await page.route("**/v1/track/**", (route) => route.abort("connectionrefused"));
    await page.evaluate(() => window.dispatchEvent(new Event("online")));
    const alert = page.locator(".connection-problem");
    await alert.getByText(/Last updated .+ reconnecting/).waitFor();
    expect(await page.locator(".hero").getAttribute("class")).toContain("stale");
    expect(await page.locator(".status h1").isVisible()).toBe(true);
    await screenshot(page, "owner-en-stale");
    await page.context().close();
  }, 120_000);
});

// Every view of the site the quality suite checks, one line each: where it
// is, who must be signed in, and what shows that it has finished drawing.
// A new view is one more entry here (/docs is Swagger's, not ours).
import type { Page } from "playwright-core";
import type { ViewData } from "./quality-data";

export type QualityView = {
  name: string;
  path: (data: ViewData) => string;
  /** The console key to sign in with first. */
  signIn?: (data: ViewData) => string;
  ready: (page: Page, data: ViewData) => Promise<void>;
};

const timeout = 20_000;
const heading = (page: Page, name: string | RegExp, level?: number) => page.getByRole("heading", { name, ...(level ? { level } : {}) }).first().waitFor({ timeout });
/** The owner page has drawn a state once its headline is there. */
const ownerReady = (page: Page) => page.locator("main h1").first().waitFor({ timeout });
/** A well-formed code nobody holds: a real one with its letters rotated. */
const unknownCode = (code: string) => code.slice(-4) + code.slice(0, -4);

const owner = (state: keyof ViewData["owners"]): QualityView => ({ name: `owner-${state.replaceAll("_", "-")}`, path: (d) => `/t/${d.owners[state]}`, ready: ownerReady });
const manager = (d: ViewData) => d.managerKey;

export const views: QualityView[] = [
  { name: "owner-start", path: () => "/", ready: ownerReady },
  owner("queued"),
  owner("offered"),
  owner("installed"),
  owner("failed"),
  owner("not_eligible"),
  owner("up_to_date"),
  owner("paused"),
  owner("halted"),
  // Drawn once it says so, in a headline or an error box.
  { name: "owner-unknown-code", path: (d) => `/t/${unknownCode(d.owners.queued)}`, ready: (p) => p.locator("main :is(h1, .error-box)").first().waitFor({ timeout }) },
  // The public rollout page: drawn once a release card or the empty note and the fleet's charts are there.
  { name: "public-releases", path: () => "/releases", ready: (p) => p.locator("#fleet-heading ~ figure canvas").first().waitFor({ timeout }) },
  { name: "console-known-issues", path: (d) => `/console#/releases/${d.version}`, signIn: (d) => d.supportKey, ready: (p) => heading(p, "Known issues", 2) },
  { name: "console-sign-in", path: () => "/console", ready: (p) => heading(p, /Sign in/, 1) },
  { name: "console-releases", path: () => "/console#/releases", signIn: manager, ready: (p, d) => p.getByRole("link", { name: d.version }).waitFor({ timeout }) },
  { name: "console-release", path: (d) => `/console#/releases/${d.version}`, signIn: manager, ready: (p) => p.locator("figure canvas").first().waitFor({ timeout }) },
  { name: "console-wave-editor", path: (d) => `/console#/releases/${d.version}`, signIn: manager, ready: (p) => p.locator("#editor-title ~ * input").first().waitFor({ timeout }) },
  { name: "console-queue", path: (d) => `/console#/releases/${d.version}`, signIn: manager, ready: (p) => p.locator("#queue-title ~ * tbody tr").first().waitFor({ timeout }) },
  { name: "console-vehicle", path: (d) => `/console#/vehicles/${d.vin}`, signIn: (d) => d.supportKey, ready: (p) => heading(p, "Vehicle", 2) },
  { name: "console-audit", path: () => "/console#/audit", signIn: manager, ready: (p) => p.getByRole("cell", { name: "release.started" }).first().waitFor({ timeout }) },
];

/** Opens a view in `page`, signing in first where it needs a key. */
export async function openView(page: Page, base: string, view: QualityView, data: ViewData): Promise<void> {
  const key = view.signIn?.(data);
  if (key) {
    await page.goto(`${base}/console`);
    await page.getByLabel("API key").fill(key);
    await page.getByRole("button", { name: "Sign in" }).click();
    await heading(page, "Releases", 1);
  }
  await page.goto(`${base}${view.path(data)}`);
  await view.ready(page, data);
}

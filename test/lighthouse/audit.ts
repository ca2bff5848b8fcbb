// Lighthouse (mobile, its defaults) on an owner page: Debian's Chromium via
// chrome-launcher, nothing downloaded. Used by `npm run lighthouse` and its test.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { launch } from "chrome-launcher";
import lighthouse from "lighthouse";

export const categories = ["performance", "accessibility", "best-practices"] as const;
export type Scores = Record<(typeof categories)[number], number>;

export async function auditPage(url: string, reportDir: string): Promise<{ scores: Scores; failing: string[] }> {
  const chrome = await launch({
    chromePath: "/usr/bin/chromium",
    chromeFlags: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  try {
    const result = await lighthouse(url, { port: chrome.port, output: ["json", "html"], onlyCategories: [...categories], logLevel: "error" });
    if (!result) throw new Error("lighthouse returned nothing");
    mkdirSync(reportDir, { recursive: true });
    const [json = "", html = ""] = Array.isArray(result.report) ? result.report : [result.report];
    writeFileSync(join(reportDir, "owner-page.report.json"), json);
    writeFileSync(join(reportDir, "owner-page.report.html"), html);
    const { lhr } = result;
    const scores = Object.fromEntries(categories.map((c) => [c, Math.round((lhr.categories[c]?.score ?? 0) * 100)])) as Scores;
    // What cost points, so a score under target says why.
    const failing = categories.flatMap((c) =>
      (lhr.categories[c]?.auditRefs ?? [])
        .filter((ref) => ref.weight > 0 && (lhr.audits[ref.id]?.score ?? 1) < 0.9)
        .map((ref) => `${c}: ${ref.id} (${lhr.audits[ref.id]?.displayValue ?? lhr.audits[ref.id]?.score})`),
    );
    return { scores, failing };
  } finally {
    chrome.kill();
  }
}

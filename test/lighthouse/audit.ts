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
    // A run that broke (the page never painted, the protocol timed out) has no scores to judge.
    if (lhr.runtimeError) return { scores: Object.fromEntries(categories.map((c) => [c, 0])) as Scores, failing: [`lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`] };
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

/**
 * The median of `runs` audits per category, as Lighthouse's own guidance on variance
 * advises: on a shared machine one run's performance score moves by a few points
 * (total blocking time under a simulated 4× slower CPU), and a broken run scores 0.
 */
export async function medianAudit(url: string, reportDir: string, runs: number): Promise<{ scores: Scores; failing: string[] }> {
  const audits: { scores: Scores; failing: string[] }[] = [];
  for (let i = 0; i < runs; i++) audits.push(await auditPage(url, reportDir));
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const scores = Object.fromEntries(categories.map((c) => [c, median(audits.map((a) => a.scores[c]))])) as Scores;
  return { scores, failing: audits.flatMap((a, i) => a.failing.map((line) => `run ${i + 1}: ${line}`)) };
}

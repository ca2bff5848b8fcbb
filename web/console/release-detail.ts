// One release: state and notice, actions, live charts, per-wave figures,
// the wave editor and what owners read (managers), and the queue. Each
// section is a module of its own; the page refreshes itself while open.
import { h, replace } from "../lib/dom";
import { startPolling } from "../lib/poller";
import { ProgressCharts } from "./progress-charts";
import { CaseRatePanel } from "./case-rate";
import { renderKnownIssues } from "./known-issues";
import { renderQueue } from "./queue-table";
import { renderActions } from "./release-actions";
import { renderSummary, renderWaveTable } from "./release-summary";
import { api, maySteerReleases } from "./session";
import type { Progress, Release } from "./types";
import { errorBox, when } from "./ui";
import { OwnerInfoEditor } from "./owner-info-editor";
import { WaveEditor } from "./wave-editor";

export function renderReleaseDetail(main: HTMLElement, version: string): () => void {
  const path = `/v1/releases/${encodeURIComponent(version)}`;
  const error = errorBox();
  const summary = h("div", {}, h("h1", {}, `Release ${version}`), h("p", {}, "Loading…"));
  const actions = h("div");
  const charts = new ProgressCharts();
  const caseRate = new CaseRatePanel();
  const knownIssues = renderKnownIssues(version);
  const waves = h("div");
  const updated = h("p", { class: "muted small" });
  const editor = maySteerReleases() ? new WaveEditor((release, etag) => show(release, etag)) : null;
  const ownerInfo = maySteerReleases() ? new OwnerInfoEditor((release, etag) => show(release, etag)) : null;
  let shownState = "";
  let shownActions: string | null = null;

  replace(
    main,
    h("p", {}, h("a", { href: "#/releases" }, "← All releases")),
    summary,
    error,
    actions,
    h("h2", {}, "Live progress"),
    updated,
    charts.element,
    caseRate.element,
    waves,
    knownIssues.element,
    editor?.element,
    ownerInfo?.element,
    renderQueue(version),
  );

  function show(release: Release, etag: string) {
    replace(summary, renderSummary(release));
    // Rebuilt only when what is allowed changes, so a focused button is not yanked away.
    shownState = release.state;
    if (release.allowedActions.join() !== shownActions) {
      shownActions = release.allowedActions.join();
      replace(actions, renderActions(release, (changed) => (show(changed, ""), poller.refreshNow())));
    }
    if (etag) {
      editor?.load(release, etag);
      ownerInfo?.load(release, etag);
    }
  }

  const poller = startPolling({
    load: async () => {
      const [release, progress] = await Promise.all([api<Release>(path), api<Progress>(`${path}/progress`)]);
      show(release.data, release.headers.get("etag") ?? "");
      charts.update(progress.data);
      caseRate.update(progress.data);
      replace(waves, renderWaveTable(progress.data));
      updated.textContent = `Updated ${when(new Date().toISOString())}; refreshes every ${shownState === "rolling_out" ? 10 : 30} seconds while open.`;
    },
    intervalMs: () => (shownState === "rolling_out" ? 10_000 : 30_000),
    onState: (s) => (s.kind === "ok" ? error.clear() : error.show(s.error)),
  });

  return () => {
    poller.stop();
    charts.destroy();
  };
}

// The top of a release's page (state, notice, headline numbers) and the
// per-wave table with exact figures behind the charts.
import { englishOf } from "../../src/domain/localized-text";
import { h } from "../lib/dom";
import type { Progress, Release } from "./types";
import { badge, num, pct, when } from "./ui";

function eligibilityText(e: Release["eligibility"]): string {
  const parts = [
    e.models?.length ? `models ${e.models.join(", ")}` : "every model",
    e.hardware?.length ? `hardware ${e.hardware.join(", ")}` : "any hardware",
    e.regions?.length ? `regions ${e.regions.join(", ")}` : "every region",
  ];
  if (e.minVersion) parts.push(`from ${e.minVersion}`);
  return parts.join(" · ");
}

const stat = (label: string, value: string) => h("div", { class: "stat" }, h("span", { class: "stat-value" }, value), h("span", { class: "stat-label" }, label));

export function renderSummary(r: Release): HTMLElement {
  return h(
    "div",
    { class: "release-summary" },
    h("h1", {}, `Release ${r.version} `, badge(r.state), " ", h("span", { class: "badge" }, r.channel)),
    h("p", { class: "muted" }, eligibilityText(r.eligibility), ` · created ${when(r.createdAt)}`, r.startedAt ? ` · started ${when(r.startedAt)}` : "", r.completedAt ? ` · completed ${when(r.completedAt)}` : ""),
    r.notice &&
      h(
        "div",
        { class: `notice notice-${r.notice.kind}` },
        h("strong", {}, r.notice.kind === "halted" ? "Halted. " : "Paused. "),
        "Owners see: ",
        h("q", {}, englishOf(r.notice.message)),
        ` (since ${when(r.notice.at)})`,
        r.haltReason ? h("p", {}, h("strong", {}, "Internal reason: "), r.haltReason) : null,
      ),
    h(
      "div",
      { class: "stats" },
      stat("in the queue", num(r.total)),
      stat("offered", num(r.offeredThrough)),
      stat("installed", num(r.counts.installed)),
      stat("failed", num(r.counts.failed)),
      stat("skipped (already newer)", num(r.counts.skipped)),
    ),
    r.notes && h("details", {}, h("summary", {}, "Release notes (shown to owners)"), h("p", { class: "notes-text" }, englishOf(r.notes))),
  );
}

export function renderWaveTable(progress: Progress): HTMLElement {
  const forecast = new Map((progress.forecast?.waves ?? []).map((f) => [f.index, f]));
  const head = ["Wave", "State", "Positions", "Vehicles", "Offered", "Installed", "Failed", "Failure rate", "Stop at", "Cases", "Projected window"];
  return h(
    "div",
    // Wider than a phone: it scrolls, so keyboard users must be able to focus it (axe: scrollable-region-focusable).
    { class: "card table-wrap", tabindex: "0", role: "region", "aria-label": "Waves (scrolls sideways)" },
    h(
      "table",
      {},
      h("caption", {}, "Waves"),
      h("thead", {}, h("tr", {}, ...head.map((c) => h("th", { scope: "col" }, c)))),
      h(
        "tbody",
        {},
        ...progress.waves.map((w) => {
          const f = forecast.get(w.index);
          const over = w.maxFailureRate != null && w.failureRate >= w.maxFailureRate;
          return h(
            "tr",
            {},
            h("th", { scope: "row" }, `${w.index} · ${w.name} (${w.share}%)`),
            h("td", {}, badge(w.state)),
            h("td", {}, w.size ? `${num(w.from)}–${num(w.to)}` : "—"),
            h("td", { class: "num" }, num(w.size)),
            h("td", { class: "num" }, num(w.offered)),
            h("td", { class: "num" }, num(w.counts.installed)),
            h("td", { class: "num" }, num(w.counts.failed)),
            h("td", { class: over ? "num over" : "num" }, pct(w.failureRate), over ? " ⚠" : ""),
            h("td", { class: "num" }, w.maxFailureRate == null ? "—" : pct(w.maxFailureRate)),
            h("td", { class: "num" }, num(w.cases)),
            h("td", {}, f?.start ? `${when(f.start)} → ${when(f.end)}` : "unknown"),
          );
        }),
      ),
    ),
  );
}

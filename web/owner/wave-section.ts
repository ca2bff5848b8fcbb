// The owner's wave and place in line as one stacked bar: already offered,
// ahead of you, you, after you. The canvas stays put across refreshes so the
// chart updates in place instead of flickering.
import { Chart } from "../lib/charts";
import { h, replace } from "../lib/dom";
import type { Translator } from "./i18n";
import type { Track } from "./track-api";

type Queue = NonNullable<Track["queue"]>;

/** A waiting car's line: offered, ahead of it, it, after it (offered counts the whole queue, so it can pass the car's place only once the car is offered). */
export function lineSegments(q: Queue) {
  const ahead = Math.max(0, q.ahead);
  const offered = Math.min(q.offered, Math.max(0, q.position - 1 - ahead));
  const behind = Math.max(0, q.total - q.position);
  return { offered, ahead, behind };
}

/** The badge beside the wave: a paused or stopped release says so, whatever its wave's own state. */
function waveBadge(track: Track, wave: NonNullable<Queue["wave"]>, t: Translator): { text: string; kind: string } {
  if (wave.state !== "done" && track.notice?.kind === "paused") return { text: t.t("wavePaused"), kind: "paused" };
  if (wave.state !== "done" && track.notice?.kind === "halted") return { text: t.t("waveHalted"), kind: "halted" };
  const text = t.t(wave.state === "active" ? "waveActive" : wave.state === "done" ? "waveDone" : "wavePending");
  return { text, kind: wave.state };
}

type Segment = { label: string; value: number; shown: number; color: string };

/** What the bar shows: for a waiting car its place; once offered, how far the whole rollout got. */
function segments(track: Track, q: Queue, t: Translator): { parts: Segment[]; summary: string } {
  if (track.state !== "queued") {
    const waiting = Math.max(0, q.total - q.offered);
    return {
      parts: [
        { label: t.t("chartOffered"), value: q.offered, shown: q.offered, color: "#1d7a46" },
        { label: t.t("chartWaiting"), value: waiting, shown: waiting, color: "#c5ced8" },
      ],
      summary: t.t("chartSummaryDone", { offered: q.offered, total: q.total }),
    };
  }
  const { offered, ahead, behind } = lineSegments(q);
  // One car is invisible next to 80,000: draw "you" at least ~1.5% wide; tooltips show real counts.
  const youShown = Math.max(1, q.total * 0.015);
  return {
    parts: [
      { label: t.t("chartOffered"), value: offered, shown: offered, color: "#1d7a46" },
      { label: t.t("chartAhead"), value: ahead, shown: ahead, color: "#2f6db5" },
      { label: t.t("chartYou"), value: 1, shown: youShown, color: "#e0730b" },
      { label: t.t("chartBehind"), value: behind, shown: behind, color: "#c5ced8" },
    ],
    summary: t.t("chartSummary", { offered: q.offered, total: q.total, ahead, behind }),
  };
}

export class WaveSection {
  readonly element: HTMLElement;
  private readonly heading = h("div", { class: "wave-heading" });
  private readonly canvas = h("canvas", { role: "img" });
  private readonly summary = h("p", { class: "chart-summary" });
  private chart: Chart<"bar"> | null = null;
  // Read by the tooltip, which outlives a single update.
  private real: number[] = [];
  private t: Translator | null = null;

  constructor() {
    this.element = h(
      "section",
      { class: "card wave", "aria-labelledby": "wave-title" },
      this.heading,
      h("div", { class: "chart-box chart-line" }, this.canvas),
      this.summary,
    );
  }

  update(track: Track, t: Translator): void {
    const q = track.queue;
    // A stopped release will not reach the car: no place in line to show.
    this.element.hidden = !q || track.state === "cancelled";
    if (!q || track.state === "cancelled") return;
    const wave = q.wave;
    const badge = wave && waveBadge(track, wave, t);
    replace(
      this.heading,
      h("h2", { id: "wave-title" }, t.t("waveHeading")),
      wave && badge
        ? h("p", { class: "wave-name" }, t.t("waveName", { index: wave.index, name: wave.name }), " ", h("span", { class: `badge wave-${badge.kind}` }, badge.text))
        : h("p", { class: "wave-name" }, t.t("waveNone")),
      h("h3", { class: "chart-title" }, t.t(track.state === "queued" ? "chartTitle" : "chartTitleDone")),
    );
    const { parts, summary } = segments(track, q, t);
    this.summary.textContent = summary;
    this.canvas.setAttribute("aria-label", summary);
    this.real = parts.map((p) => p.value);
    this.t = t;
    const max = parts.reduce((sum, p) => sum + p.shown, 0);
    const datasets = parts.map((s) => ({ label: s.label, data: [s.shown], backgroundColor: s.color, borderWidth: 0, barPercentage: 1, categoryPercentage: 1 }));
    if (this.chart) {
      this.chart.data.datasets = datasets;
      this.chart.options.locale = t.locale;
      const x = this.chart.options.scales?.x;
      if (x) x.max = max;
      this.chart.update("none");
      return;
    }
    this.chart = new Chart(this.canvas, {
      type: "bar",
      data: { labels: [""], datasets },
      options: {
        indexAxis: "y",
        // The bar shows a place in line, not a trend: it appears at once (and screenshots show it whole).
        animation: false,
        locale: t.locale,
        scales: {
          x: { stacked: true, display: false, max },
          y: { stacked: true, display: false },
        },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 14, padding: 12 } },
          tooltip: {
            callbacks: { label: (item) => `${item.dataset.label}: ${this.t?.number(this.real[item.datasetIndex] ?? 0)}` },
          },
        },
      },
    });
  }
}

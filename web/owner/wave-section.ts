// The owner's wave and place in line as one stacked bar: already offered,
// ahead of you, you, after you. The canvas stays put across refreshes so the
// chart updates in place instead of flickering.
import { Chart } from "../lib/charts";
import { h, replace } from "../lib/dom";
import type { Translator } from "./i18n";
import type { Track } from "./track-api";

type Queue = NonNullable<Track["queue"]>;

export function lineSegments(q: Queue) {
  const ahead = Math.max(0, q.ahead);
  const offered = Math.max(0, q.position - 1 - ahead);
  const behind = Math.max(0, q.total - q.position);
  return { offered, ahead, behind };
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
    this.element.hidden = !q;
    if (!q) return;
    const wave = q.wave;
    const waveState = wave && t.t(wave.state === "active" ? "waveActive" : wave.state === "done" ? "waveDone" : "wavePending");
    replace(
      this.heading,
      h("h2", { id: "wave-title" }, t.t("waveHeading")),
      wave
        ? h("p", { class: "wave-name" }, t.t("waveName", { index: wave.index, name: wave.name }), " ", h("span", { class: `badge wave-${wave.state}` }, waveState))
        : h("p", { class: "wave-name" }, t.t("waveNone")),
      h("h3", { class: "chart-title" }, t.t("chartTitle")),
    );
    const { offered, ahead, behind } = lineSegments(q);
    const text = t.t("chartSummary", { offered, total: q.total, ahead, behind });
    this.summary.textContent = text;
    this.canvas.setAttribute("aria-label", text);

    // One car is invisible next to 80,000: draw "you" at least ~1.5% wide; tooltips show real counts.
    const youShown = Math.max(1, q.total * 0.015);
    this.real = [offered, ahead, 1, behind];
    this.t = t;
    const max = offered + ahead + youShown + behind;
    const series = [
      { label: t.t("chartOffered"), value: offered, color: "#1d7a46" },
      { label: t.t("chartAhead"), value: ahead, color: "#2f6db5" },
      { label: t.t("chartYou"), value: youShown, color: "#e0730b" },
      { label: t.t("chartBehind"), value: behind, color: "#c5ced8" },
    ];
    const datasets = series.map((s) => ({ label: s.label, data: [s.value], backgroundColor: s.color, borderWidth: 0, barPercentage: 1, categoryPercentage: 1 }));
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

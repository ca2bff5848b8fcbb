// Live charts of one release: per-wave state counts, failure rate against
// each wave's stop threshold, installs over time, and the forecast.
import type { ChartConfiguration } from "chart.js";
import { Chart, stateColors } from "../lib/charts";
import { h } from "../lib/dom";
import { installSeries } from "./install-series";
import { type Progress, updateStates } from "./types";
import { num, pct, when } from "./ui";

type Data = (number | [number, number] | null)[];
type Config = ChartConfiguration<"bar" | "line", Data, string>;
type Panel = { element: HTMLElement; canvas: HTMLCanvasElement; note: HTMLElement; chart: Chart<"bar" | "line", Data, string> | null };

function panel(title: string, id: string): Panel {
  const canvas = h("canvas", { role: "img", "aria-label": title });
  const note = h("p", { class: "chart-note muted" });
  const element = h("figure", { class: "card chart-card", "aria-labelledby": id }, h("figcaption", { id }, h("h3", {}, title)), h("div", { class: "chart-box chart-tall" }, canvas), note);
  return { element, canvas, note, chart: null };
}

const shortTime = new Intl.DateTimeFormat(navigator.language || "en", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
const dayLabel = new Intl.DateTimeFormat(navigator.language || "en", { month: "short", day: "numeric" });

export class ProgressCharts {
  readonly element: HTMLElement;
  private readonly states = panel("Vehicles per wave, by update state", "chart-states");
  private readonly failures = panel("Failure rate per wave against its stop threshold", "chart-failures");
  private readonly installs = panel("Installs over time", "chart-installs");
  private readonly forecast = panel("Forecast: when each wave offers its vehicles", "chart-forecast");

  constructor() {
    this.element = h("div", { class: "chart-grid" }, this.states.element, this.failures.element, this.installs.element, this.forecast.element);
  }

  destroy(): void {
    for (const p of [this.states, this.failures, this.installs, this.forecast]) p.chart?.destroy();
  }

  update(progress: Progress): void {
    const labels = progress.waves.map((w) => `${w.index} · ${w.name}`);
    draw(this.states, {
      type: "bar",
      data: { labels, datasets: updateStates.map((s) => ({ label: s, data: progress.waves.map((w) => w.counts[s]), backgroundColor: stateColors[s] })) },
      options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } }, plugins: { legend: { position: "bottom" } } },
    });
    this.states.note.textContent = progress.waves.map((w) => `Wave ${w.index}: ${num(w.counts.installed)} installed, ${num(w.counts.failed)} failed of ${num(w.size)}`).join(". ");

    const rates = progress.waves.map((w) => w.failureRate * 100);
    const limits = progress.waves.map((w) => (w.maxFailureRate == null ? null : w.maxFailureRate * 100));
    draw(this.failures, {
      type: "bar",
      data: {
        labels,
        datasets: [
          { type: "bar", label: "Failure rate (%)", data: rates, backgroundColor: rates.map((r, i) => (limits[i] != null && r >= limits[i] ? "#c0392b" : "#2f6db5")) },
          { type: "line", label: "Stop threshold (%)", data: limits, showLine: false, pointStyle: "line", pointRadius: 24, pointBorderWidth: 3, borderColor: "#c0392b", backgroundColor: "#c0392b" },
        ],
      },
      options: { scales: { y: { beginAtZero: true, suggestedMax: Math.max(5, ...limits.map((l) => l ?? 0)) * 1.2, title: { display: true, text: "%" } } }, plugins: { legend: { position: "bottom" } } },
    });
    this.failures.note.textContent = progress.waves
      .map((w) => `Wave ${w.index}: ${pct(w.failureRate)}${w.maxFailureRate == null ? " (no threshold)" : ` of at most ${pct(w.maxFailureRate)}`}, ${num(w.cases)} support case(s)`)
      .join(". ");

    const series = installSeries(progress.installsOverTime, Date.now());
    const daily = series.bucketMs > 3_600_000;
    const total = series.cumulative.at(-1) ?? 0;
    draw(this.installs, {
      type: "bar",
      data: {
        labels: series.starts.map((t) => (daily ? dayLabel : shortTime).format(new Date(t))),
        datasets: [
          // The line is drawn over the bars, on its own axis (totals dwarf an hour's count).
          { type: "line", label: "Installed so far (right axis)", data: series.cumulative, borderColor: "#17212b", backgroundColor: "#17212b", borderWidth: 3, pointRadius: 0, yAxisID: "total", order: 0 },
          { type: "bar", label: daily ? "Installs that day (left axis)" : "Installs that hour (left axis)", data: series.counts, backgroundColor: "#1d7a46", maxBarThickness: 28, yAxisID: "y", order: 1 },
        ],
      },
      options: {
        scales: {
          x: { ticks: { maxTicksLimit: 8, maxRotation: 0, autoSkip: true } },
          y: { beginAtZero: true, position: "left", title: { display: true, text: daily ? "per day" : "per hour" }, ticks: { precision: 0 } },
          total: { beginAtZero: true, position: "right", title: { display: true, text: "so far" }, grid: { drawOnChartArea: false }, ticks: { precision: 0 } },
        },
        plugins: { legend: { position: "bottom" } },
      },
    });
    this.installs.note.textContent = total ? `${num(total)} installs reported so far.` : "No installs reported yet.";

    this.drawForecast(progress, labels);
    // Screen readers get the numbers the chart shows, in words.
    for (const p of [this.states, this.failures, this.installs, this.forecast]) {
      p.canvas.setAttribute("aria-label", `${p.element.querySelector("h3")?.textContent ?? "Chart"}. ${p.note.textContent ?? ""}`);
    }
  }

  private drawForecast(progress: Progress, labels: string[]): void {
    const windows = progress.forecast?.waves ?? [];
    const bars = progress.waves.map((w) => {
      const f = windows.find((x) => x.index === w.index);
      return f?.start && f.end ? [Date.parse(f.start), Math.max(Date.parse(f.end), Date.parse(f.start) + 60_000)] : null;
    });
    const ends = bars.flatMap((b) => b ?? []);
    const pad = ends.length ? Math.max(30 * 60_000, (Math.max(...ends) - Math.min(...ends)) * 0.05) : 0;
    const span = ends.length ? [Math.min(...ends) - pad, Math.max(...ends) + pad] : null;
    draw(this.forecast, {
      type: "bar",
      data: { labels, datasets: [{ label: "Offering window", data: bars as Data, backgroundColor: "#7b5cc4" }] },
      options: {
        indexAxis: "y",
        // Bar charts start their value axis at zero by default, which would put 1970 on a time axis.
        scales: { x: { type: "linear", beginAtZero: false, min: span?.[0], max: span?.[1], ticks: { callback: (v) => shortTime.format(new Date(Number(v))), maxTicksLimit: 5 } } },
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: (item) => { const [a, b] = (bars[item.dataIndex] ?? []); return a && b ? `${shortTime.format(a)} → ${shortTime.format(b)}` : "unknown"; } } } },
      },
    });
    const completion = progress.forecast?.completion;
    const unknown = progress.waves.filter((_, i) => !bars[i]).map((w) => w.index);
    this.forecast.note.textContent =
      `Projected completion: ${completion ? when(completion) : "unknown (paused, or a wave waits for a manual advance or has no start)"}.` +
      (unknown.length ? ` No projection for wave ${unknown.join(", ")}.` : "");
  }
}

// Charts are updated in place on every refresh: no flicker, tooltips stay usable.
function draw(p: Panel, config: Config): void {
  if (p.chart) {
    p.chart.data = config.data;
    if (config.options) p.chart.options = config.options;
    p.chart.update("none");
  } else p.chart = new Chart(p.canvas, config);
}

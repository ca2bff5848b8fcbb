// One release on the public page: state, notice, current wave, how far it
// has come (offered and installed), and each wave in a chart and a table.
import type { PublicRelease } from "../../src/routes/public/public.schemas";
import { Chart, stateColors } from "../lib/charts";
import { type Child, h } from "../lib/dom";
import type { MessageKey, Words } from "./messages";

const tones: Record<PublicRelease["state"], string> = {
  rolling_out: "active",
  paused: "warn",
  halted: "bad",
  completed: "good",
  draft: "neutral",
};

/** A labelled bar whose width is the percentage; the words carry the number for screen readers. */
function bar(label: string, percent: number, tone: "offered" | "installed") {
  const fill = h("span");
  // A style property set from script, not a style attribute: the pages' CSP refuses inline styles.
  fill.style.width = `${Math.min(100, percent)}%`;
  return h("div", { class: "bar-row" }, h("p", { class: "bar-label" }, label), h("div", { class: `bar bar-${tone}`, "aria-hidden": "true" }, fill));
}

function waveTable(release: PublicRelease, w: Words) {
  const table = h(
    "table",
    { class: "waves" },
    h("caption", { class: "visually-hidden" }, w.t("waveTable", { version: release.version })),
    h(
      "thead",
      {},
      h("tr", {}, h("th", { scope: "col" }, w.t("colWave")), h("th", { scope: "col" }, w.t("colOffered")), h("th", { scope: "col" }, w.t("colInstalled"))),
    ),
    h(
      "tbody",
      {},
      ...release.waves.map((wave) =>
        h(
          "tr",
          { class: wave.state === "active" ? "current" : null },
          h(
            "th",
            { scope: "row" },
            `${wave.index}. ${wave.name} `,
            h("span", { class: `wave-state wave-${wave.state}` }, w.t(`waveState_${wave.state}`)),
            h("span", { class: "reach" }, w.t("colReach", { percent: w.percent(wave.share) })),
          ),
          h("td", {}, w.percent(wave.offeredPercent)),
          h("td", {}, w.percent(wave.installedPercent)),
        ),
      ),
    ),
  );
  // Long wave names or words ("Geïnstalleerd") on a small phone scroll inside the card, never the page.
  return h("div", { class: "table-scroll", role: "region", tabindex: 0, "aria-label": w.t("waveTable", { version: release.version }) }, table);
}

function waveChart(release: PublicRelease, w: Words): { figure: HTMLElement; draw: () => Chart } {
  const canvas = h("canvas", { role: "img", "aria-label": w.t("chartLabel", { version: release.version }) });
  const figure = h("figure", { class: "chart" }, canvas);
  figure.style.height = `${4 + release.waves.length * 2.6}rem`;
  const draw = () =>
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: release.waves.map((wave) => `${wave.index}. ${wave.name}`),
        datasets: [
          { label: w.t("colOffered"), data: release.waves.map((wave) => wave.offeredPercent), backgroundColor: stateColors.offered },
          { label: w.t("colInstalled"), data: release.waves.map((wave) => wave.installedPercent), backgroundColor: stateColors.installed },
        ],
      },
      options: {
        indexAxis: "y",
        scales: { x: { min: 0, max: 100, ticks: { callback: (value) => w.percent(Number(value)) } } },
        plugins: { legend: { position: "bottom" }, tooltip: { callbacks: { label: (item) => `${item.dataset.label ?? ""}: ${w.percent(Number(item.raw))}` } } },
      },
    });
  return { figure, draw };
}

/** The card and a function that draws its chart once the card is in the page. */
export function releaseCard(release: PublicRelease, w: Words): { card: HTMLElement; draw: () => Chart } {
  const current = release.currentWave;
  const chart = waveChart(release, w);
  const dates: Child[] = [
    release.startedAt && w.t("startedOn", { date: w.date(release.startedAt) }),
    release.completedAt && ` · ${w.t("completedOn", { date: w.date(release.completedAt) })}`,
  ];
  const card = h(
    "article",
    { class: `release tone-${tones[release.state]}`, "aria-labelledby": `release-${release.version}`, id: `v${release.version}` },
    h(
      "header",
      { class: "release-head" },
      h("h3", { id: `release-${release.version}` }, release.version),
      h("span", { class: `badge badge-${release.channel}` }, w.t(`channel_${release.channel}` as MessageKey)),
      h("span", { class: `badge state-${release.state}` }, w.t(`state_${release.state}` as MessageKey)),
    ),
    release.notice && h("p", { class: `notice notice-${release.notice.kind}`, role: "note" }, release.notice.message),
    h("p", { class: "current-wave" }, current ? w.t("wave", { index: current.index, of: current.of, name: current.name }) : w.t("noWaveYet")),
    bar(w.t("offered", { percent: w.percent(release.offeredPercent) }), release.offeredPercent, "offered"),
    bar(w.t("installed", { percent: w.percent(release.installedPercent) }), release.installedPercent, "installed"),
    h("p", { class: "dates" }, ...dates),
    chart.figure,
    waveTable(release, w),
    release.notes && h("details", { class: "notes" }, h("summary", {}, w.t("notes")), h("p", {}, release.notes)),
  );
  return { card, draw: chart.draw };
}

// The fleet's firmware: one stacked bar per model and per region, each
// version a colour, "other" for buckets the API folded to protect owners.
import type { PublicFleet } from "../../src/routes/public/public.schemas";
import { Chart } from "../lib/charts";
import { h } from "../lib/dom";
import type { Words } from "./messages";

// Distinct at 3:1 against white and against each other's neighbours; "other" is grey.
const palette = ["#1b4f8a", "#1d7a46", "#7b5cc4", "#b3261e", "#8a5300", "#1f7f8f", "#a33f86", "#4d6b1f"];
const otherColor = "#7b8794";

type Group = PublicFleet["byModel"][number];

/** One colour per version across every chart of the page, "other" always grey. */
function colorsOf(fleet: PublicFleet): (version: string) => string {
  const all = [...new Set([...fleet.versions, ...fleet.byModel.flatMap((g) => g.versions), ...fleet.byRegion.flatMap((g) => g.versions)].map((v) => v.version))];
  const named = all.filter((v) => v !== "other").sort((a, b) => b.localeCompare(a, undefined, { numeric: true }));
  return (version) => (version === "other" ? otherColor : (palette[named.indexOf(version) % palette.length] ?? otherColor));
}

function groupChart(groups: Group[], by: string, w: Words, colorOf: (version: string) => string) {
  const versions = [...new Set(groups.flatMap((g) => g.versions.map((v) => v.version)))].sort((a, b) => (a === "other" ? 1 : b === "other" ? -1 : b.localeCompare(a, undefined, { numeric: true })));
  const name = (value: string) => (value === "other" ? w.t("other") : value);
  const canvas = h("canvas", { role: "img", "aria-label": w.t("fleetChartLabel", { by }) });
  const figure = h("figure", { class: "chart" }, canvas);
  // Set from script: the pages' CSP refuses style attributes.
  figure.style.height = `${5 + groups.length * 2.2}rem`;
  const draw = () =>
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: groups.map((g) => name(g.name)),
        datasets: versions.map((version) => ({
          label: name(version),
          data: groups.map((g) => g.versions.find((v) => v.version === version)?.percent ?? 0),
          backgroundColor: colorOf(version),
        })),
      },
      options: {
        indexAxis: "y",
        scales: { x: { stacked: true, min: 0, max: 100, ticks: { callback: (value) => w.percent(Number(value)) } }, y: { stacked: true } },
        plugins: { legend: { position: "bottom" }, tooltip: { callbacks: { label: (item) => `${item.dataset.label ?? ""}: ${w.percent(Number(item.raw))}` } } },
      },
    });
  return { figure, draw };
}

/** The fleet section and a function that draws its charts once it is in the page. */
export function fleetSection(fleet: PublicFleet, w: Words): { section: HTMLElement; draw: () => Chart[] } {
  const name = (value: string) => (value === "other" ? w.t("other") : value);
  const colorOf = colorsOf(fleet);
  const models = groupChart(fleet.byModel, w.t("byModel"), w, colorOf);
  const regions = groupChart(fleet.byRegion, w.t("byRegion"), w, colorOf);
  const section = h(
    "section",
    { class: "fleet", "aria-labelledby": "fleet-heading" },
    h("h2", { id: "fleet-heading" }, w.t("fleetHeading")),
    h("p", {}, w.t("fleetIntro", { vehicles: w.number(fleet.vehicles) })),
    h("h3", {}, w.t("allVersions")),
    h("ul", { class: "versions" }, ...fleet.versions.map((v) => h("li", {}, h("span", { class: "version" }, name(v.version)), " ", w.percent(v.percent)))),
    h("h3", {}, w.t("byModel")),
    models.figure,
    h("h3", {}, w.t("byRegion")),
    regions.figure,
  );
  return { section, draw: () => [models.draw(), regions.draw()] };
}

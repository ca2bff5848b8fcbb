// What a re-plan would do, from PUT …/waves?dryRun=true: who changes wave,
// how far ETAs move, and the new cut points.
import { h } from "../lib/dom";
import type { ReplanPreview } from "./types";
import { num, scrollBox } from "./ui";

const waveName = (index: number | null) => (index === null ? "no wave (past the last cut point)" : `wave ${index}`);

export function formatShift(minutes: number): string {
  const sign = minutes > 0 ? "+" : minutes < 0 ? "−" : "±";
  const abs = Math.abs(Math.round(minutes));
  const hours = Math.floor(abs / 60);
  const days = Math.floor(hours / 24);
  const text = days >= 2 ? `${days} d ${hours % 24} h` : hours ? `${hours} h${abs % 60 ? ` ${abs % 60} min` : ""}` : `${abs} min`;
  return `${sign}${text}`;
}

export function renderImpact(preview: ReplanPreview): HTMLElement {
  const { impact } = preview;
  const ranges = preview.waves;
  const shift = impact.etaShift;
  return h(
    "div",
    { class: "impact" },
    h("h3", {}, "Impact of this plan"),
    h(
      "p",
      { class: "impact-headline" },
      impact.vehiclesChangingWave === 0 ? "No vehicle changes wave." : `${num(impact.vehiclesChangingWave)} vehicles change wave.`,
    ),
    impact.moves.length > 0 &&
      h("ul", { class: "moves" }, ...impact.moves.map((m) => h("li", {}, `${num(m.count)} from ${waveName(m.fromWave)} to ${waveName(m.toWave)}`))),
    h(
      "p",
      {},
      shift
        ? `Their ETAs move by ${formatShift(shift.minMinutes)} to ${formatShift(shift.maxMinutes)}.`
        : "ETA shift: unknown (the rollout is not running on a schedule, so there is no ETA to move).",
    ),
    ranges.length > 0 && scrollBox(rangesTable(ranges), "New cut points"),
  );
}

function rangesTable(ranges: ReplanPreview["waves"]): HTMLTableElement {
  return h(
    "table",
    {},
    h("caption", {}, "New cut points"),
    h("thead", {}, h("tr", {}, ...["Wave", "Name", "Share", "Positions", "Vehicles"].map((c) => h("th", { scope: "col" }, c)))),
    h(
      "tbody",
      {},
      ...ranges.map((w) =>
        h("tr", {}, h("td", {}, String(w.index)), h("td", {}, w.name), h("td", { class: "num" }, `${w.share}%`), h("td", {}, w.size ? `${num(w.from)}–${num(w.to)}` : "—"), h("td", { class: "num" }, num(w.size))),
      ),
    ),
  );
}

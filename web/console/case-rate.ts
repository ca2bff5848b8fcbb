// Support cases per 1,000 vehicles offered, per wave, against each wave's
// case-rule threshold (stopAt.maxCasesPerThousand): shown beside the
// failure-rate chart, since both stop the release the same way.
import { h, replace } from "../lib/dom";
import type { Progress } from "./types";
import { num, scrollBox } from "./ui";

const perThousand = new Intl.NumberFormat(navigator.language || "en", { maximumFractionDigits: 1 });

export class CaseRatePanel {
  readonly element: HTMLElement;
  private readonly body = h("tbody");

  constructor() {
    this.element = h(
      "figure",
      { class: "card chart-card", "aria-labelledby": "case-rate-title" },
      h("figcaption", { id: "case-rate-title" }, h("h3", {}, "Support cases per 1,000 offered against the case threshold")),
      scrollBox(
        h("table", { class: "case-rate" }, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Wave"), h("th", { scope: "col" }, "Cases"), h("th", { scope: "col" }, "Per 1,000 offered"), h("th", { scope: "col" }, "Stops above"))), this.body),
        "Support cases per 1,000 offered",
      ),
    );
  }

  update(progress: Progress): void {
    replace(
      this.body,
      ...progress.waves.map((w) => {
        const over = w.casesPerThousand !== null && w.maxCasesPerThousand !== null && w.casesPerThousand > w.maxCasesPerThousand;
        return h(
          "tr",
          { class: over ? "over-threshold" : "" },
          h("th", { scope: "row" }, `${w.index} · ${w.name}`),
          h("td", {}, num(w.cases)),
          h("td", {}, w.casesPerThousand === null ? "—" : perThousand.format(w.casesPerThousand)),
          h("td", {}, w.maxCasesPerThousand === null ? "no case rule" : perThousand.format(w.maxCasesPerThousand)),
        );
      }),
    );
  }
}

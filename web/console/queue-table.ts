// A page of a release's queue, filtered by wave and state, paged by cursor.
import { fieldValue, h, replace } from "../lib/dom";
import { api } from "./session";
import { type QueuePage, updateStates } from "./types";
import { badge, errorBox, field, num, scrollBox } from "./ui";

export function renderQueue(version: string): HTMLElement {
  const error = errorBox();
  const body = h("tbody");
  const more = h("button", { type: "button", class: "secondary" }, "Next page");
  more.hidden = true;
  let cursor: number | null = null;
  const form = h(
    "form",
    { class: "inline-form" },
    field("Wave", h("input", { name: "wave", type: "number", min: "1", inputmode: "numeric" })),
    field("State", h("select", { name: "state" }, h("option", { value: "" }, "any"), ...updateStates.map((s) => h("option", { value: s }, s)))),
    h("button", { type: "submit", class: "secondary" }, "Show queue"),
  );

  async function load(reset: boolean) {
    error.clear();
    const q = new URLSearchParams({ limit: "25" });
    for (const name of ["wave", "state"]) {
      const value = fieldValue(form, name);
      if (value) q.set(name, value);
    }
    if (!reset && cursor !== null) q.set("after", String(cursor));
    try {
      const { data } = await api<QueuePage>(`/v1/releases/${encodeURIComponent(version)}/queue?${q}`);
      const rows = data.entries.map((e) =>
        h("tr", {}, h("td", { class: "num" }, num(e.position)), h("td", {}, h("a", { href: `#/vehicles/${encodeURIComponent(e.vin)}` }, e.vin)), h("td", {}, e.wave === null ? "—" : String(e.wave)), h("td", {}, badge(e.state))),
      );
      if (reset) replace(body, ...(rows.length ? rows : [h("tr", {}, h("td", { colspan: 4 }, "No vehicles match."))]));
      else body.append(...rows);
      cursor = data.next;
      more.hidden = data.next === null;
    } catch (e) {
      error.show(e);
    }
  }
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    void load(true);
  });
  more.addEventListener("click", () => void load(false));
  void load(true);
  return h(
    "section",
    { class: "card", "aria-labelledby": "queue-title" },
    h("h2", { id: "queue-title" }, "Queue"),
    form,
    error,
    scrollBox(h("table", {}, h("thead", {}, h("tr", {}, ...["Position", "VIN", "Wave", "State"].map((c) => h("th", { scope: "col" }, c)))), body), "Queue entries"),
    more,
  );
}

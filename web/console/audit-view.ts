// The append-only audit log: who changed what, before and after, filtered
// by release, actor and time; older pages by cursor.
import { fieldValue, h, replace } from "../lib/dom";
import { fieldChanges, fieldName, valueText } from "./audit-diff";
import { api } from "./session";
import type { AuditPage } from "./types";
import { errorBox, field, scrollBox, when } from "./ui";

/** Before and after, field by field: only what changed. */
function changeTable(e: AuditPage["entries"][number]): HTMLElement {
  const changes = fieldChanges(e.before, e.after);
  if (changes.length === 0) return h("span", { class: "muted" }, "—");
  return h(
    "table",
    { class: "changes", "aria-label": "What changed" },
    h("thead", {}, h("tr", {}, ...["Field", "Before", "After"].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, ...changes.map((c) => h("tr", {}, h("th", { scope: "row" }, fieldName(c.path)), h("td", { class: "before" }, valueText(c.before)), h("td", { class: "after" }, valueText(c.after))))),
  );
}

function row(e: AuditPage["entries"][number]): HTMLElement {
  return h(
    "tr",
    {},
    h("td", {}, h("time", { datetime: e.at }, when(e.at))),
    h("td", {}, e.actor),
    h("td", {}, e.action),
    h("td", {}, e.release ? h("a", { href: `#/releases/${encodeURIComponent(e.release)}` }, e.release) : "—"),
    h("td", {}, e.vin ? h("a", { href: `#/vehicles/${encodeURIComponent(e.vin)}` }, e.vin) : "—"),
    h("td", {}, changeTable(e)),
  );
}

export function renderAudit(main: HTMLElement): void {
  const error = errorBox();
  const body = h("tbody");
  const older = h("button", { type: "button", class: "secondary" }, "Older entries");
  older.hidden = true;
  let cursor: number | null = null;
  const form = h(
    "form",
    { class: "inline-form card" },
    field("Release", h("input", { name: "release", placeholder: "2026.44.1" })),
    field("Actor", h("input", { name: "actor", placeholder: "key:3 Release team" })),
    field("From", h("input", { name: "from", type: "datetime-local" })),
    field("To", h("input", { name: "to", type: "datetime-local" })),
    h("button", { type: "submit", class: "primary" }, "Filter"),
  );

  async function load(reset: boolean) {
    error.clear();
    const q = new URLSearchParams({ limit: "50" });
    for (const name of ["release", "actor"]) {
      const value = fieldValue(form, name);
      if (value) q.set(name, value);
    }
    for (const name of ["from", "to"]) {
      const value = fieldValue(form, name);
      if (value) q.set(name, new Date(value).toISOString());
    }
    if (!reset && cursor !== null) q.set("before", String(cursor));
    try {
      const { data } = await api<AuditPage>(`/v1/audit?${q}`);
      const rows = data.entries.map(row);
      if (reset) replace(body, ...(rows.length ? rows : [h("tr", {}, h("td", { colspan: 6 }, "No entries match."))]));
      else body.append(...rows);
      cursor = data.next;
      older.hidden = data.next === null;
    } catch (e) {
      error.show(e);
    }
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void load(true);
  });
  older.addEventListener("click", () => void load(false));
  const head = ["When", "Who", "What", "Release", "Vehicle", "Change"];
  replace(
    main,
    h("h1", {}, "Audit log"),
    form,
    error,
    h("div", { class: "card" }, scrollBox(h("table", { class: "audit" }, h("thead", {}, h("tr", {}, ...head.map((c) => h("th", { scope: "col" }, c)))), body), "Audit entries")),
    older,
  );
  void load(true);
}

// Support cases linked to a vehicle; each counts against the release and
// wave it was in, so a spike is visible to release managers.
import { fieldValue, h } from "../lib/dom";
import { api } from "./session";
import type { CaseLink, VehicleDetail } from "./types";
import { errorBox, field, toast, when } from "./ui";

/** `mayWrite`: link a case (support, admin); others only read the list. */
export function renderCases(d: VehicleDetail, reload: () => void, mayWrite: boolean): HTMLElement {
  const error = errorBox();
  const form = h(
    "form",
    { class: "inline-form" },
    field("Case reference", h("input", { name: "reference", required: true, placeholder: "ZD-123456" })),
    field("Summary", h("input", { name: "summary", required: true, class: "wide-input" })),
    // The known issues matching the car's last failed report: support names the one the owner has.
    d.matchingKnownIssues.length
      ? field(
          "Known issue",
          h("select", { name: "knownIssueId" }, h("option", { value: "" }, "none"), ...d.matchingKnownIssues.map((i) => h("option", { value: String(i.id) }, `${i.title} (${i.status}${i.fixedIn ? `, fixed in ${i.fixedIn}` : ""}, ${i.reports} reports)`))),
          "Matches the error code of the car's last failed report",
        )
      : null,
    h("button", { type: "submit", class: "primary" }, "Link case"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.clear();
    try {
      const reference = fieldValue(form, "reference") ?? "";
      const knownIssueId = Number(fieldValue(form, "knownIssueId")) || undefined;
      await api(`/v1/vehicles/${d.vehicle.vin}/cases`, { method: "POST", body: { reference, summary: fieldValue(form, "summary") ?? "", ...(knownIssueId ? { knownIssueId } : {}) } satisfies CaseLink });
      toast(`Case ${reference} linked to ${d.vehicle.vin}.`);
      reload();
    } catch (e) {
      error.show(e);
    }
  });
  return h(
    "section",
    { class: "card", "aria-labelledby": "cases-title" },
    h("h2", { id: "cases-title" }, "Support cases"),
    d.cases.length
      ? h(
          "ul",
          { class: "plain-list" },
          ...d.cases.map((c) => h("li", {}, h("strong", {}, c.reference), ` (${when(c.createdAt)}${c.version ? `, ${c.version}${c.waveIndex ? ` wave ${c.waveIndex}` : ""}` : ""}): ${c.summary}`)),
        )
      : h("p", { class: "muted" }, "No cases linked."),
    mayWrite && form,
    error,
  );
}

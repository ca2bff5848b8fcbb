// The known issues of one release (SPEC: Known issues): list with report
// counts, publish one with its title and body per language, change its status
// and fix version. Offered to release managers and support, who both may.
import { fieldValue, h, replace } from "../lib/dom";
import { api } from "./session";
import type { KnownIssue, KnownIssueCreate, KnownIssueList, KnownIssueUpdate } from "./types";
import { errorBox, field, num, toast, when } from "./ui";

const statuses = ["investigating", "workaround", "fixed"] as const;
const languages = [["en", "English"], ["nl", "Dutch"], ["de", "German"]] as const;

const statusSelect = (name: string, value: string) =>
  h("select", { name }, ...statuses.map((s) => h("option", { value: s, selected: s === value }, s)));

/** Only the languages filled in; English is required by the API and the form alike. */
function perLanguage(form: HTMLFormElement, prefix: string): Record<string, string> & { en: string } {
  const text: Record<string, string> = {};
  for (const [code] of languages) {
    const value = fieldValue(form, `${prefix}-${code}`);
    if (value) text[code] = value;
  }
  return { ...text, en: text.en ?? "" };
}

function issueRow(issue: KnownIssueList["knownIssues"][number], changed: () => void): HTMLElement {
  const error = errorBox();
  const form = h(
    "form",
    { class: "inline-form", "aria-label": `Change known issue ${issue.id}` },
    field("Status", statusSelect("status", issue.status)),
    field("Fixed in", h("input", { name: "fixedIn", value: issue.fixedIn ?? "", placeholder: "2026.44.2", size: 10 })),
    h("button", { type: "submit", class: "secondary small" }, "Save"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.clear();
    try {
      // The select offers only the statuses above; the API refuses anything else anyway.
      const status = (fieldValue(form, "status") ?? issue.status) as KnownIssueUpdate["status"];
      await api(`/v1/known-issues/${issue.id}`, { method: "PATCH", body: { status, fixedIn: fieldValue(form, "fixedIn") ?? null } satisfies KnownIssueUpdate });
      toast(`Known issue "${issue.title}" saved.`);
      changed();
    } catch (e) {
      error.show(e);
    }
  });
  return h(
    "li",
    { class: "known-issue" },
    h("strong", {}, issue.title),
    ` — ${issue.status}${issue.fixedIn ? `, fixed in ${issue.fixedIn}` : ""}; reported by ${num(issue.reports)} (${num(issue.cases)} case(s), ${num(issue.failedVehicles)} failed car(s))`,
    issue.errorCodes.length ? h("span", { class: "muted" }, ` · codes ${issue.errorCodes.join(", ")}`) : null,
    h("span", { class: "muted small" }, ` · updated ${when(issue.updatedAt)}`),
    h("p", { class: "small" }, issue.body),
    form,
    error,
  );
}

function createForm(path: string, created: () => void): HTMLElement {
  const error = errorBox();
  const form = h(
    "form",
    { class: "stacked-form", "aria-label": "Publish a known issue" },
    ...languages.map(([code, name]) => field(`Title (${name})`, h("input", { name: `title-${code}`, required: code === "en", class: "wide-input" }))),
    ...languages.map(([code, name]) => field(`Text for owners (${name})`, h("textarea", { name: `body-${code}`, required: code === "en", rows: 2, class: "wide-input" }))),
    field("Status", statusSelect("status", "investigating")),
    field("Fixed in", h("input", { name: "fixedIn", placeholder: "2026.44.2" })),
    field("Error codes", h("input", { name: "errorCodes", placeholder: "E_CHARGE_80, E_CHARGE_81" }), "Failed reports with these codes count as reports of the issue"),
    h("button", { type: "submit", class: "primary" }, "Publish known issue"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.clear();
    try {
      const codes = (fieldValue(form, "errorCodes") ?? "").split(/[\s,]+/).filter(Boolean);
      const fixedIn = fieldValue(form, "fixedIn");
      const body: KnownIssueCreate = {
        title: perLanguage(form, "title"),
        body: perLanguage(form, "body"),
        // From the select of the statuses above.
        status: (fieldValue(form, "status") ?? "investigating") as KnownIssueCreate["status"],
        errorCodes: codes,
        ...(fixedIn ? { fixedIn } : {}),
      };
      const issue = (await api<KnownIssue>(path, { method: "POST", body })).data;
      toast(`Known issue ${issue.id} published.`);
      form.reset();
      created();
    } catch (e) {
      error.show(e);
    }
  });
  return h("details", {}, h("summary", {}, "Publish a known issue"), form, error);
}

/** The section for one release; `refresh` reloads the list (after a change, or from the page's poller). */
export function renderKnownIssues(version: string): { element: HTMLElement; refresh: () => Promise<void> } {
  const path = `/v1/releases/${encodeURIComponent(version)}/known-issues`;
  const list = h("div", {}, h("p", { class: "muted" }, "Loading…"));
  const error = errorBox();
  const refresh = async () => {
    try {
      const { knownIssues } = (await api<KnownIssueList>(`${path}?lang=en`)).data;
      error.clear();
      replace(list, knownIssues.length ? h("ul", { class: "plain-list" }, ...knownIssues.map((i) => issueRow(i, () => void refresh()))) : h("p", { class: "muted" }, "No known issues."));
    } catch (e) {
      error.show(e);
    }
  };
  void refresh();
  const element = h("section", { class: "card", "aria-labelledby": "known-issues-title" }, h("h2", { id: "known-issues-title" }, "Known issues"), list, error, createForm(path, () => void refresh()));
  return { element, refresh };
}

// One vehicle, found by VIN: what its owner sees and the standard answer,
// facts, releases and queue positions, the full timeline, cases and share
// links. Support and admins also create share links and link cases; release
// managers read (the API refuses them those two writes).
import { fieldValue, h, replace } from "../lib/dom";
import { renderCases } from "./cases";
import { go } from "./router";
import { renderOwnerStatus, renderSupportAnswer } from "./owner-status";
import { api, mayHelpOwners } from "./session";
import { renderShareLinks, type ShareLinkMemory } from "./share-links";
import type { VehicleDetail } from "./types";
import { badge, errorBox, field, num, scrollBox, when } from "./ui";
import { renderVehicleTimeline } from "./vehicle-timeline";

function facts(d: VehicleDetail): HTMLElement {
  const v = d.vehicle;
  const rows: [string, string][] = [
    ["VIN", v.vin], ["Model", v.model], ["Hardware", v.hardware], ["Region", v.region], ["Channel", v.channel],
    ["Cohort", v.cohort.replace("_", " ")], ["Firmware", v.firmware], ["Last seen", when(v.lastSeenAt)], ["Registered", when(v.createdAt)],
  ];
  return h("section", { class: "card", "aria-labelledby": "facts-title" }, h("h2", { id: "facts-title" }, "Vehicle"), h("dl", { class: "facts" }, ...rows.flatMap(([k, val]) => [h("dt", {}, k), h("dd", {}, val)])));
}

function releases(d: VehicleDetail): HTMLElement {
  return h(
    "section",
    { class: "card", "aria-labelledby": "vreleases-title" },
    h("h2", { id: "vreleases-title" }, "Releases"),
    d.queue.length
      ? scrollBox(h(
          "table",
          {},
          h("thead", {}, h("tr", {}, ...["Release", "Release state", "Position", "Update state", "Offered", "Last change"].map((c) => h("th", { scope: "col" }, c)))),
          h("tbody", {}, ...d.queue.map((q) => h("tr", {}, h("th", { scope: "row" }, h("a", { href: `#/releases/${encodeURIComponent(q.version)}` }, q.version)), h("td", {}, badge(q.releaseState)), h("td", { class: "num" }, q.position === null ? "—" : num(q.position)), h("td", {}, badge(q.state)), h("td", {}, when(q.offeredAt)), h("td", {}, when(q.updatedAt))))),
        ), "This vehicle's releases")
      : h("p", { class: "muted" }, "Not queued for any release."),
  );
}

export function renderVehicleLookup(main: HTMLElement, vin: string | null): void {
  const error = errorBox();
  const result = h("div", { class: "vehicle-result" });
  const input = h("input", { name: "vin", required: true, autocomplete: "off", spellcheck: "false", maxlength: "17", placeholder: "17 characters", class: "vin-input" });
  input.value = vin ?? "";
  const form = h("form", { class: "inline-form card", role: "search" }, field("VIN", input), h("button", { type: "submit", class: "primary" }, "Look up"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = fieldValue(form, "vin")?.toUpperCase().replace(/\s+/g, "");
    if (!value) return void input.focus();
    if (value === vin) void load(value);
    else go("vehicles", value);
  });
  replace(main, h("h1", {}, "Vehicle lookup"), form, error, result);
  const memory: ShareLinkMemory = {};

  async function load(target: string) {
    error.clear();
    try {
      const { data } = await api<VehicleDetail>(`/v1/vehicles/${encodeURIComponent(target)}`);
      const reload = () => void load(target);
      const helps = mayHelpOwners();
      replace(
        result,
        h(
          "div",
          { class: "two-columns" },
          h("div", {}, renderOwnerStatus(data), renderSupportAnswer(data, (e) => error.show(e)), facts(data), releases(data), renderShareLinks(data, reload, memory, helps), renderCases(data, reload, helps)),
          renderVehicleTimeline(data),
        ),
      );
    } catch (e) {
      result.replaceChildren();
      error.show(e);
    }
  }
  if (vin) void load(vin);
  else queueMicrotask(() => input.focus());
}

// Creating a release (a draft): version, channel, notes and who it applies to.
import { fieldValue, h } from "../lib/dom";
import { languages, localizedText } from "./localized-fields";
import { go } from "./router";
import { api } from "./session";
import type { Release } from "./types";
import { errorBox, field, toast } from "./ui";

const list = (value: string | undefined) => (value ? value.split(/[\s,]+/).filter(Boolean) : undefined);

export function renderReleaseForm(): HTMLElement {
  const error = errorBox();
  const channel = h("select", { name: "channel" }, h("option", { value: "stable" }, "stable"), h("option", { value: "beta" }, "beta"));
  const form = h(
    "form",
    { class: "grid-form" },
    field("Version", h("input", { name: "version", required: true, placeholder: "2026.44.1", pattern: "\\d+(\\.\\d+){1,3}" }), "Numeric parts, e.g. 2026.44.1"),
    field("Channel", channel),
    field("Models", h("input", { name: "models", placeholder: "model3, modelY" }), "Comma-separated; empty means every model"),
    field("Hardware", h("input", { name: "hardware", placeholder: "HW4" }), "Empty means any hardware"),
    field("Regions", h("input", { name: "regions", placeholder: "NL, DE" }), "Empty means every region"),
    field("Minimum current version", h("input", { name: "minVersion", placeholder: "2026.20.0" }), "Vehicles on older firmware are not eligible"),
    ...languages.map((l) => h("div", { class: "wide" }, field(`Release notes (${l.name})`, h("textarea", { name: `notes-${l.tag}`, rows: 3 }), l.tag === "en" ? "Shown to owners; those without their language read English." : undefined))),
    error,
    h("div", { class: "actions wide" }, h("button", { type: "submit", class: "primary" }, "Create draft release")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.clear();
    const eligibility = {
      models: list(fieldValue(form, "models")),
      hardware: list(fieldValue(form, "hardware")),
      regions: list(fieldValue(form, "regions")),
      minVersion: fieldValue(form, "minVersion"),
    };
    try {
      const { data } = await api<Release>("/v1/releases", {
        method: "POST",
        body: { version: fieldValue(form, "version") ?? "", channel: channel.value, notes: localizedText(Object.fromEntries(languages.map((l) => [l.tag, fieldValue(form, `notes-${l.tag}`)]))), eligibility },
      });
      toast(`Release ${data.version} created as a draft. Plan its waves next.`);
      go("releases", data.version);
    } catch (e) {
      error.show(e);
    }
  });
  return h("details", { class: "card" }, h("summary", {}, h("h2", { class: "inline" }, "New release")), form);
}

// The landing page (`/`): the owner types the tracking code from their link.
import { fieldValue, h } from "../lib/dom";
import type { Translator } from "./i18n";

export function renderCodeForm(t: Translator): HTMLElement {
  const error = h("p", { id: "code-error", class: "field-error", role: "alert" });
  const form = h(
    "form",
    { class: "card code-form", novalidate: true },
    h("label", { for: "code" }, t.t("codeLabel")),
    h("input", { id: "code", name: "code", autocomplete: "off", autocapitalize: "off", spellcheck: "false", "aria-describedby": "code-error" }),
    error,
    h("button", { type: "submit", class: "primary" }, t.t("codeSubmit")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    // Owners paste whole links as often as bare codes.
    const code = fieldValue(form, "code")?.replace(/^.*\/t\//, "").replace(/[/?#].*$/, "");
    if (!code) {
      error.textContent = t.t("codeRequired");
      form.querySelector("input")?.focus();
      return;
    }
    window.location.assign(`/t/${encodeURIComponent(code)}`);
  });
  return h("div", { class: "landing" }, h("h1", {}, t.t("codeHeading")), h("p", { class: "lead" }, t.t("codeIntro")), form);
}

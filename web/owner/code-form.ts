// Where an owner types the tracking code: the landing page (`/`), and the
// friendly page for a mistyped, unknown or expired code, which asks again.
import { fieldValue, h } from "../lib/dom";
import type { Translator } from "./i18n";
import { isTrackingCode } from "./track-api";

function codeForm(t: Translator, initial = ""): HTMLFormElement {
  const error = h("p", { id: "code-error", class: "field-error", role: "alert" });
  const form = h(
    "form",
    { class: "card code-form", novalidate: true },
    h("label", { for: "code" }, t.t("codeLabel")),
    h("input", { id: "code", name: "code", value: initial, autocomplete: "off", autocapitalize: "off", spellcheck: "false", "aria-describedby": "code-error" }),
    error,
    h("button", { type: "submit", class: "primary" }, t.t("codeSubmit")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    // Owners paste whole links as often as bare codes.
    const code = fieldValue(form, "code")?.replace(/^.*\/t\//, "").replace(/[/?#].*$/, "");
    // Said here, in the reader's language, rather than by a page of raw validation text.
    const problem = !code ? t.t("codeRequired") : !isTrackingCode(code) ? t.t("codeMalformed") : null;
    if (problem || !code) {
      error.textContent = problem;
      form.querySelector("input")?.focus();
      return;
    }
    window.location.assign(`/t/${encodeURIComponent(code)}`);
  });
  return form;
}

export function renderCodeForm(t: Translator): HTMLElement {
  return h("div", { class: "landing" }, h("h1", {}, t.t("codeHeading")), h("p", { class: "lead" }, t.t("codeIntro")), codeForm(t));
}

/** For `/t/{code}` when the code is malformed, unknown, expired or revoked: all look the same from outside. */
export function renderUnknownCode(t: Translator): HTMLElement {
  return h("div", { class: "landing unknown-code" }, h("h1", {}, t.t("unknownCodeHeading")), h("p", { class: "lead" }, t.t("unknownCodeText")), codeForm(t));
}

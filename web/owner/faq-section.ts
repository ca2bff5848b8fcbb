// The three questions owners ask support most, answered on the page.
import { h } from "../lib/dom";
import type { Translator } from "./i18n";
import type { MessageKey } from "./messages-en";

const questions: [MessageKey, MessageKey][] = [
  ["faqWhyWave", "faqWhyWaveAnswer"],
  ["faqSooner", "faqSoonerAnswer"],
  ["faqBeta", "faqBetaAnswer"],
];

export function renderFaq(t: Translator): HTMLElement {
  return h(
    "section",
    { class: "card faq", "aria-labelledby": "faq-title" },
    h("h2", { id: "faq-title" }, t.t("faqHeading")),
    ...questions.map(([question, answer]) => h("details", {}, h("summary", {}, t.t(question)), h("p", {}, t.t(answer)))),
  );
}

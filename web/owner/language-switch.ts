// The visible language switch: one button per language, the current one pressed.
import { h, replace } from "../lib/dom";
import { type Locale, locales } from "../lib/locale-negotiation";
import { languageNames, type Translator } from "./i18n";

export function renderLanguageSwitch(nav: HTMLElement, t: Translator, choose: (locale: Locale) => void): void {
  nav.setAttribute("aria-label", t.t("languageLabel"));
  replace(
    nav,
    ...locales.map((locale) =>
      h(
        "button",
        {
          type: "button",
          lang: locale,
          class: "lang",
          "aria-pressed": String(locale === t.locale),
          onclick: () => choose(locale),
        },
        languageNames[locale],
      ),
    ),
  );
}

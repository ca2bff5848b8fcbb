// The owner page and the server negotiate the language the same way: one rule, in src/domain.
export { type Locale, isLocale, locales, negotiateLocale } from "../../src/domain/locale-negotiation";

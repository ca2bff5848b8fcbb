// The release's known issues on the owner's page (SPEC: Known issues): what
// is known, how many owners reported it and whether a fix is out, so an owner
// with the same problem knows before calling support. Messages live here, per
// language, so the section stays one module.
import type { Locale } from "../lib/locale-negotiation";
import { h } from "../lib/dom";
import type { Translator } from "./i18n";
import type { Track } from "./track-api";

type Issue = Track["knownIssues"][number];
type Words = {
  heading: string;
  reported: (n: string, count: number) => string;
  status: Record<Issue["status"], string>;
  fixedIn: (version: string) => string;
};

const words: Record<Locale, Words> = {
  en: {
    heading: "Known issues",
    reported: (n, count) => `reported by ${n} ${count === 1 ? "owner" : "owners"}`,
    status: { investigating: "being investigated", workaround: "workaround available", fixed: "fixed" },
    fixedIn: (v) => `fixed in ${v}`,
  },
  nl: {
    heading: "Bekende problemen",
    reported: (n, count) => `gemeld door ${n} ${count === 1 ? "eigenaar" : "eigenaren"}`,
    status: { investigating: "wordt onderzocht", workaround: "tijdelijke oplossing beschikbaar", fixed: "opgelost" },
    fixedIn: (v) => `opgelost in ${v}`,
  },
  de: {
    heading: "Bekannte Probleme",
    reported: (n, count) => `von ${n} ${count === 1 ? "Halter" : "Haltern"} gemeldet`,
    status: { investigating: "wird untersucht", workaround: "Umgehung verfügbar", fixed: "behoben" },
    fixedIn: (v) => `behoben in ${v}`,
  },
};

/** The known issues, or nothing when there are none. */
export function renderKnownIssues(track: Track, t: Translator): HTMLElement | null {
  const issues = track.knownIssues ?? [];
  if (!issues.length) return null;
  const w = words[t.locale];
  return h(
    "section",
    { class: "card known-issues", "aria-labelledby": "known-issues-title" },
    h("h2", { id: "known-issues-title" }, w.heading),
    h(
      "ul",
      { class: "plain-list" },
      ...issues.map((issue) =>
        h(
          "li",
          { class: `known-issue known-issue-${issue.status}` },
          h("strong", {}, issue.title),
          h("br"),
          h("span", { class: "muted" }, [issue.fixedIn ? w.fixedIn(issue.fixedIn) : w.status[issue.status], issue.reports ? w.reported(t.number(issue.reports), issue.reports) : ""].filter(Boolean).join(" · ")),
        ),
      ),
    ),
  );
}

// The public rollout page (/releases): how far each release has come and
// which firmware the fleet runs, for anyone, in English, Dutch or German.
// It refreshes itself while open and says so when what it shows is stale.
import type { PublicFleet, PublicReleases } from "../src/routes/public/public.schemas";
import { apiFetch } from "./lib/api";
import type { Chart } from "./lib/charts";
import { byId, h, replace } from "./lib/dom";
import { type Locale, locales } from "./lib/locale-negotiation";
import { startPolling } from "./lib/poller";
import { initialLocale, languageNames, rememberLocale } from "./owner/i18n";
import { fleetSection } from "./releases/fleet-section";
import { type Words, wordsFor } from "./releases/messages";
import { releaseCard } from "./releases/release-card";

const main = byId("main");
let words: Words = wordsFor(initialLocale());
let data: { releases: PublicReleases; fleet: PublicFleet; at: Date } | null = null;
let charts: Chart[] = [];
let stale = false;

function renderChrome() {
  document.documentElement.lang = words.locale;
  document.title = words.t("title");
  byId("brand").textContent = words.t("brand");
  byId("skip").textContent = words.t("skip");
  const nav = byId("language");
  nav.setAttribute("aria-label", words.t("languageLabel"));
  replace(
    nav,
    ...locales.map((locale) =>
      h("button", { type: "button", lang: locale, class: "lang", "aria-pressed": String(locale === words.locale), onclick: () => choose(locale) }, languageNames[locale]),
    ),
  );
}

function render() {
  for (const chart of charts) chart.destroy();
  charts = [];
  if (!data) {
    replace(main, h("h1", {}, words.t("title")), h("p", { class: stale ? "problem" : "loading", role: "status" }, stale ? words.t("failed") : words.t("loading")));
    return;
  }
  const cards = data.releases.releases.map((release) => releaseCard(release, words));
  const fleet = fleetSection(data.fleet, words);
  replace(
    main,
    h("h1", {}, words.t("title")),
    h("p", { class: "intro" }, words.t("intro"), " ", h("a", { href: "/" }, words.t("ownerLink"))),
    h("p", { class: stale ? "freshness stale" : "freshness", role: "status" }, stale ? words.t("stale", { time: words.time(data.at) }) : words.t("updated", { time: words.time(data.at) })),
    h("section", { class: "releases", "aria-labelledby": "releases-heading" }, h("h2", { id: "releases-heading" }, words.t("releasesHeading")), ...(cards.length ? cards.map((c) => c.card) : [h("p", {}, words.t("none"))])),
    fleet.section,
  );
  charts = [...cards.map((c) => c.draw()), ...fleet.draw()];
}

function choose(locale: Locale) {
  rememberLocale(locale);
  words = wordsFor(locale);
  renderChrome();
  poller.refreshNow();
}

async function load() {
  const lang = `?lang=${words.locale}`;
  const [releases, fleet] = await Promise.all([apiFetch<PublicReleases>(`/v1/public/releases${lang}`), apiFetch<PublicFleet>("/v1/public/fleet")]);
  data = { releases: releases.data, fleet: fleet.data, at: new Date() };
  stale = false;
  render();
}

renderChrome();
render();
const poller = startPolling({
  load,
  // The answers change at most every 30 s (their max-age): once a minute is plenty.
  intervalMs: () => 60_000,
  onState: (state) => {
    if (state.kind === "failing" && !stale) {
      stale = true;
      render();
    }
  },
});

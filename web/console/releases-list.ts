// All releases with their state and progress, refreshed while open.
import { h, replace } from "../lib/dom";
import { startPolling } from "../lib/poller";
import { renderReleaseForm } from "./release-form";
import { api, maySteerReleases } from "./session";
import type { Release } from "./types";
import { badge, errorBox, num, scrollBox, when } from "./ui";

function row(r: Release): HTMLElement {
  const installed = r.counts.installed;
  return h(
    "tr",
    {},
    h("th", { scope: "row" }, h("a", { href: `#/releases/${encodeURIComponent(r.version)}` }, r.version)),
    h("td", {}, r.channel),
    h("td", {}, badge(r.state)),
    h("td", {}, h("progress", { max: Math.max(1, r.total), value: r.offeredThrough, "aria-label": `${r.version} offered` }), ` ${num(r.offeredThrough)} / ${num(r.total)}`),
    h("td", { class: "num" }, num(installed)),
    h("td", { class: "num" }, num(r.counts.failed)),
    h("td", {}, when(r.createdAt)),
  );
}

export function renderReleases(main: HTMLElement): () => void {
  const error = errorBox();
  const body = h("tbody", {}, h("tr", {}, h("td", { colspan: 7 }, "Loading…")));
  const table = h(
    "table",
    {},
    h("caption", { class: "visually-hidden" }, "Releases, newest version first"),
    h("thead", {}, h("tr", {}, ...["Version", "Channel", "State", "Offered", "Installed", "Failed", "Created"].map((c) => h("th", { scope: "col" }, c)))),
    body,
  );
  replace(
    main,
    h("h1", {}, "Releases"),
    maySteerReleases() && renderReleaseForm(),
    error,
    h("div", { class: "card" }, scrollBox(table, "Releases")),
  );
  const poller = startPolling({
    load: async () => {
      const { data } = await api<{ releases: Release[] }>("/v1/releases");
      replace(body, ...(data.releases.length ? data.releases.map(row) : [h("tr", {}, h("td", { colspan: 7 }, "No releases yet."))]));
    },
    intervalMs: () => 15_000,
    onState: (s) => (s.kind === "ok" ? error.clear() : error.show(s.error)),
  });
  return poller.stop;
}

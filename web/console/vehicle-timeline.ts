// Everything that happened to one vehicle, newest first: firmware changes,
// update reports, offers, support cases and share links.
import { h } from "../lib/dom";
import type { VehicleDetail } from "./types";
import { when } from "./ui";

type Entry = { at: string; kind: string; text: string };

export function timelineEntries(d: VehicleDetail): Entry[] {
  const entries: Entry[] = [
    ...d.history.map((c) => ({ at: c.at, kind: "firmware", text: c.from ? `Firmware ${c.from} → ${c.to} (${c.source})` : `Registered on firmware ${c.to} (${c.source})` })),
    ...d.events.map((e) => ({ at: e.at, kind: e.state, text: `${e.version}: reported ${e.state}${e.errorCode ? ` (error ${e.errorCode})` : ""}` })),
    ...d.queue.map((q) =>
      q.offeredAt
        ? { at: q.offeredAt, kind: "offered", text: `${q.version}: offered${q.position ? ` at position ${q.position}` : ""}` }
        : { at: q.updatedAt, kind: "queued", text: `${q.version}: ${q.state}${q.position ? ` at position ${q.position}` : ""}` },
    ),
    ...d.cases.map((c) => ({ at: c.createdAt, kind: "case", text: `Case ${c.reference} linked${c.version ? ` (${c.version}${c.waveIndex ? `, wave ${c.waveIndex}` : ""})` : ""}: ${c.summary}` })),
    ...d.shareLinks.flatMap((l) => [
      { at: l.createdAt, kind: "link", text: `Share link #${l.id} created, expiring ${when(l.expiresAt)}` },
      ...(l.revokedAt ? [{ at: l.revokedAt, kind: "link", text: `Share link #${l.id} revoked` }] : []),
    ]),
  ];
  return entries.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}

export function renderVehicleTimeline(d: VehicleDetail): HTMLElement {
  const entries = timelineEntries(d);
  return h(
    "section",
    { class: "card", "aria-labelledby": "vehicle-timeline-title" },
    h("h2", { id: "vehicle-timeline-title" }, "Timeline"),
    entries.length
      ? h("ol", { class: "timeline" }, ...entries.map((e) => h("li", { class: `tl-${e.kind}` }, h("span", {}, e.text), h("time", { datetime: e.at }, when(e.at)))))
      : h("p", { class: "muted" }, "Nothing recorded yet."),
  );
}

// The supporting cards: ETA range, timeline, release notes and the car.
import { h } from "../lib/dom";
import type { Translator } from "./i18n";
import type { MessageKey } from "./messages-en";
import type { Track } from "./track-api";

export function renderEta(track: Track, t: Translator): HTMLElement | null {
  if (track.state !== "queued") return null;
  let body: HTMLElement;
  if (track.eta) {
    const earliest = h("time", { datetime: track.eta.earliest }, t.dateTime(track.eta.earliest));
    const latest = h("time", { datetime: track.eta.latest }, t.dateTime(track.eta.latest));
    const [before, middle, after] = t.t("etaRange", { earliest: "\u0000", latest: "\u0000" }).split("\u0000");
    body = h("p", { class: "eta-range" }, before, earliest, middle, latest, after);
  } else {
    const why: MessageKey = track.notice?.kind === "paused" ? "etaPaused" : track.notice ? "etaNone" : "etaUnknown";
    body = h("p", { class: "eta-unknown" }, t.t(why));
  }
  return h("section", { class: "card eta", "aria-labelledby": "eta-title" }, h("h2", { id: "eta-title" }, t.t("etaHeading")), body);
}

const timelineKeys: Record<string, MessageKey> = {
  queued: "tlQueued",
  offered: "tlOffered",
  downloading: "tlDownloading",
  installing: "tlInstalling",
  installed: "tlInstalled",
  failed: "tlFailed",
  cancelled: "tlCancelled",
  skipped: "tlSkipped",
  paused: "tlPaused",
  resumed: "tlResumed",
  halted: "tlHalted",
  wave_opened: "tlWaveOpened",
  wave_started: "tlWaveOpened",
  completed: "tlCompleted",
  channel_changed: "tlChannelChanged",
};

const channelName = (channel: string | undefined, t: Translator) =>
  channel === "beta" ? t.t("channelNameBeta") : channel === "stable" ? t.t("channelNameStable") : (channel ?? "");

export function renderTimeline(track: Track, t: Translator): HTMLElement {
  // Newest first, like a parcel tracker.
  const events = [...track.timeline].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  const list = events.length
    ? h(
        "ol",
        { class: "timeline" },
        ...events.map((e) => {
          const key = timelineKeys[e.state];
          return h(
            "li",
            { class: `tl-${e.state}` },
            h("span", { class: "tl-what" }, key ? t.t(key, { channel: channelName(e.channel, t) }) : e.state),
            e.message && h("span", { class: "tl-message" }, e.message),
            h("time", { datetime: e.at }, t.dateTime(e.at)),
          );
        }),
      )
    : h("p", { class: "muted" }, t.t("timelineEmpty"));
  return h("section", { class: "card", "aria-labelledby": "timeline-title" }, h("h2", { id: "timeline-title" }, t.t("timelineHeading")), list);
}

export function renderNotes(track: Track, t: Translator): HTMLElement | null {
  const release = track.release;
  if (!release) return null;
  return h(
    "section",
    { class: "card notes", "aria-labelledby": "notes-title" },
    h("h2", { id: "notes-title" }, t.t("notesHeading", { version: release.version })),
    release.notes.trim() ? h("p", { class: "notes-text" }, release.notes) : h("p", { class: "muted" }, t.t("notesEmpty")),
  );
}

export function renderCar(track: Track, t: Translator): HTMLElement {
  const v = track.vehicle;
  const row = (label: string, value: string) => [h("dt", {}, label), h("dd", {}, value)];
  return h(
    "section",
    { class: "card car", "aria-labelledby": "car-title" },
    h("h2", { id: "car-title" }, t.t("carHeading")),
    h("dl", { class: "facts" }, ...row(t.t("carModel"), v.model), ...row(t.t("carFirmware"), v.firmware), ...row(t.t("carVin"), v.vin)),
  );
}

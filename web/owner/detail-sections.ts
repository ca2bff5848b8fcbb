// The supporting cards: timeline, release notes and the car.
import { h } from "../lib/dom";
import { modelName } from "./display";
import type { Translator } from "./i18n";
import type { MessageKey } from "./messages-en";
import type { Track } from "./track-api";

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
  replanned: "tlReplanned",
};

/** Where a step falls in an update's life, for steps recorded at the same instant (a wave opens, then offers, at once). */
const lifeOrder: Record<string, number> = { queued: 0, wave_opened: 1, replanned: 1, offered: 2, downloading: 3, installing: 4, installed: 5, failed: 5 };

type Step = Track["timeline"][number];

/** Newest first, like a parcel tracker; at one instant the later step of an update's life first, else the API's order reversed. */
export function newestFirst(steps: readonly Step[]): Step[] {
  return steps
    .map((step, index) => ({ step, index }))
    .sort((a, b) => {
      const time = Date.parse(b.step.at) - Date.parse(a.step.at);
      if (time !== 0) return time;
      const [ra, rb] = [lifeOrder[a.step.state], lifeOrder[b.step.state]];
      if (ra !== undefined && rb !== undefined && ra !== rb) return rb - ra;
      return b.index - a.index;
    })
    .map(({ step }) => step);
}

function describe(step: Step, track: Track, t: Translator): string {
  if (step.state === "replanned") {
    const index = step.wave;
    if (index === undefined) return t.t("tlReplannedOut");
    // The wave's name in the reader's language when it is the car's wave now; else as planned.
    const name = track.queue?.wave?.index === index ? track.queue.wave.name : typeof step.waveName === "string" ? step.waveName : "";
    return t.t("tlReplanned", { index, name });
  }
  const key = timelineKeys[step.state];
  return key ? t.t(key, { channel: channelName(step.channel, t) }) : step.state;
}

const channelName = (channel: string | undefined, t: Translator) =>
  channel === "beta" ? t.t("channelNameBeta") : channel === "stable" ? t.t("channelNameStable") : (channel ?? "");

export function renderTimeline(track: Track, t: Translator): HTMLElement {
  const events = newestFirst(track.timeline);
  const list = events.length
    ? h(
        "ol",
        { class: "timeline" },
        ...events.map((e) => {
          return h(
            "li",
            { class: `tl-${e.state}` },
            h("span", { class: "tl-what" }, describe(e, track, t)),
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
  // The notes of an update that is not for the car would only mislead.
  if (!release || track.state === "not_eligible") return null;
  return h(
    "section",
    { class: "card notes", "aria-labelledby": "notes-title" },
    h("h2", { id: "notes-title" }, t.t("notesHeading", { version: release.version })),
    release.notes.trim() ? h("p", { class: "notes-text" }, release.notes) : h("p", { class: "muted" }, t.t("notesEmpty")),
  );
}

export function renderCar(track: Track, t: Translator): HTMLElement {
  const v = track.vehicle;
  const row = (label: string, value: string, attrs: Record<string, string> = {}) => [h("dt", {}, label), h("dd", attrs, value)];
  return h(
    "section",
    { class: "card car", "aria-labelledby": "car-title" },
    h("h2", { id: "car-title" }, t.t("carHeading")),
    h("dl", { class: "facts" }, ...row(t.t("carModel"), modelName(v.model)), ...row(t.t("carFirmware"), v.firmware), ...row(t.t("carVin"), v.vin, { class: "vin", translate: "no" })),
  );
}

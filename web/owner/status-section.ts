// The headline: what is happening with the owner's update, in large type,
// plus the public notice when the rollout is paused or stopped.
import { type Child, h } from "../lib/dom";
import type { Translator } from "./i18n";
import type { MessageKey } from "./messages-en";
import type { Track } from "./track-api";

const reasonKeys: Record<string, MessageKey> = {
  channel: "reasonChannel",
  hardware: "reasonHardware",
  model: "reasonModel",
  region: "reasonRegion",
  min_version: "reasonMinVersion",
  minVersion: "reasonMinVersion",
};

type Headline = { title: string; lines: Child[]; tone: "waiting" | "active" | "good" | "bad" | "neutral" };

function headline(track: Track, t: Translator): Headline {
  const version = track.release?.version ?? "";
  switch (track.state) {
    case "queued": {
      const q = track.queue;
      if (!q) return { title: t.t("queuedTitle", { position: "?" }), lines: [], tone: "waiting" };
      // The place is in the whole line; "ahead" leaves out those already offered: say so in words.
      const before = Math.max(0, q.position - 1 - q.ahead);
      return {
        title: t.t("queuedTitle", { position: q.position }),
        lines: [
          h("strong", { class: "ahead" }, q.ahead === 0 ? t.t("aheadNone") : t.plural("ahead", q.ahead)),
          before > 0 && t.t("queuedExplained", { position: q.position, before, ahead: q.ahead }),
          t.t("queuedOf", { waiting: Math.max(1, q.total - q.offered), version }),
        ],
        tone: "waiting",
      };
    }
    case "offered":
      return { title: t.t("offeredTitle"), lines: [t.t("offeredText", { version })], tone: "active" };
    case "downloading":
      return { title: t.t("downloadingTitle"), lines: [t.t("downloadingText", { version })], tone: "active" };
    case "installing":
      return { title: t.t("installingTitle"), lines: [t.t("installingText", { version })], tone: "active" };
    case "installed":
      return { title: t.t("installedTitle"), lines: [t.t("installedText", { version: version || track.vehicle.firmware })], tone: "good" };
    case "failed":
      return { title: t.t("failedTitle"), lines: [t.t("failedText")], tone: "bad" };
    case "cancelled":
      return { title: t.t("cancelledTitle"), lines: [t.t("cancelledText", { version })], tone: "neutral" };
    case "not_eligible": {
      const known = track.reasonCode ? reasonKeys[track.reasonCode] : undefined;
      // A reason we cannot translate is still shown: the API says it in words.
      const reason = known ? t.t(known) : track.reason;
      // The API's own words are English; mark them so screen readers pronounce them right.
      const words = reason && h("span", { class: "reason", lang: known ? t.locale : "en" }, reason);
      return { title: t.t("notEligibleTitle"), lines: [t.t("notEligibleText", { version }), words], tone: "neutral" };
    }
    case "up_to_date":
      return {
        title: t.t("upToDateTitle"),
        lines: [t.t(track.release ? "upToDateText" : "upToDateNoRelease", { firmware: track.vehicle.firmware })],
        tone: "good",
      };
    default:
      return { title: String(track.state), lines: [], tone: "neutral" };
  }
}

export function renderStatus(track: Track, t: Translator): HTMLElement {
  const { title, lines, tone } = headline(track, t);
  return h(
    "div",
    { class: `status tone-${tone}` },
    track.release && h("p", { class: "eyebrow" }, t.t("releaseLabel", { version: track.release.version })),
    h("h1", { id: "status-title" }, title),
    ...lines.filter(Boolean).map((line) => h("p", { class: "status-line" }, line)),
  );
}

export function renderNotice(track: Track, t: Translator): HTMLElement | null {
  const notice = track.notice;
  if (!notice) return null;
  return h(
    "div",
    { class: `notice notice-${notice.kind}`, role: "note", "aria-labelledby": "notice-title" },
    h("h2", { id: "notice-title" }, t.t(notice.kind === "halted" ? "noticeHalted" : "noticePaused")),
    notice.message && h("p", { class: "notice-message" }, notice.message),
    h("p", { class: "muted" }, h("time", { datetime: notice.at }, t.t("noticeSince", { time: t.dateTime(notice.at) }))),
  );
}

// "What to prepare", from what UN R156 says an owner must be able to learn
// before an update: its purpose, how long it takes, what the car cannot do
// meanwhile and what to do first. Shown until the update is installed.
import { h } from "../lib/dom";
import type { Translator } from "./i18n";
import type { MessageKey } from "./messages-en";
import type { Track } from "./track-api";

const purposeKeys: Record<string, MessageKey> = {
  security: "purposeSecurity",
  safety: "purposeSafety",
  recall: "purposeRecall",
  fix: "purposeFix",
  feature: "purposeFeature",
};

const before = new Set(["queued", "offered", "downloading", "installing", "failed"]);

export function renderPrepare(track: Track, t: Translator): HTMLElement | null {
  const release = track.release;
  if (!release || !before.has(track.state)) return null;
  const purpose = release.purpose && purposeKeys[release.purpose];
  const unavailable = release.unavailableDuring ?? [];
  const instructions = release.instructions ?? [];
  const known = purpose || release.installMinutes || unavailable.length || instructions.length;
  return h(
    "section",
    { class: "card prepare", "aria-labelledby": "prepare-title" },
    h("h2", { id: "prepare-title" }, t.t("prepareHeading")),
    purpose && h("p", { class: "purpose" }, h("span", { class: "muted" }, `${t.t("purposeLabel")}: `), h("strong", {}, t.t(purpose))),
    release.installMinutes ? h("p", {}, t.t("prepareMinutes", { minutes: release.installMinutes })) : null,
    unavailable.length > 0 && h("p", {}, t.t("prepareUnavailable", { list: t.list(unavailable) })),
    instructions.length > 0 && h("p", { class: "prepare-before" }, t.t("prepareBefore")),
    instructions.length > 0 && h("ul", { class: "instructions" }, ...instructions.map((step) => h("li", {}, step))),
    !known && h("p", {}, t.t("prepareDefault")),
  );
}

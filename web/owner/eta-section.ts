// When the owner's turn comes: in words ("tomorrow afternoon") with the exact
// range beside it, why there is no estimate when there is none, and a note
// when the estimate moved since this browser last showed it.
import { h } from "../lib/dom";
import type { EtaMove } from "./eta-memory";
import { etaWords } from "./eta-words";
import type { Translator } from "./i18n";
import type { MessageKey } from "./messages-en";
import type { Track } from "./track-api";

function range(eta: NonNullable<Track["eta"]>, t: Translator): HTMLElement {
  const earliest = h("time", { datetime: eta.earliest }, t.dateTime(eta.earliest));
  const latest = h("time", { datetime: eta.latest }, t.dateTime(eta.latest));
  const [before, middle, after] = t.t("etaExact", { earliest: "\u0000", latest: "\u0000" }).split("\u0000");
  return h("p", { class: "eta-range" }, before, earliest, middle, latest, after);
}

function movedNote(move: EtaMove, t: Translator): HTMLElement {
  const amount = t.duration(move.byMs);
  return h("p", { class: "eta-moved", role: "note" }, `${t.t(move.byMs > 0 ? "etaMovedLater" : "etaMovedEarlier", { amount })}, ${t.t(move.why)}`);
}

export function renderEta(track: Track, t: Translator, move: EtaMove | null, now = new Date()): HTMLElement | null {
  if (track.state !== "queued") return null;
  const body: (HTMLElement | null)[] = [];
  if (track.eta) {
    const words = etaWords(track.eta, now, { locale: t.tag, messages: t.messages });
    body.push(h("p", { class: "eta-words" }, words.charAt(0).toLocaleUpperCase(t.tag) + words.slice(1)), range(track.eta, t));
  } else {
    const why: MessageKey = track.notice?.kind === "paused" ? "etaPaused" : track.notice ? "etaNone" : "etaUnknown";
    body.push(h("p", { class: "eta-unknown" }, t.t(why)));
  }
  if (move && track.eta) body.push(movedNote(move, t));
  return h("section", { class: "card eta", "aria-labelledby": "eta-title" }, h("h2", { id: "eta-title" }, t.t("etaHeading")), ...body);
}

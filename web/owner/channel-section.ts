// Opting in to beta (or back to stable), when the API tells us the channel.
import { ApiProblem } from "../lib/api";
import { h } from "../lib/dom";
import type { Translator } from "./i18n";
import { changeChannel, type Track } from "./track-api";

export function renderChannel(track: Track, t: Translator, code: string, changed: () => void): HTMLElement | null {
  const channel = track.vehicle.channel;
  // Only the owner's own code may change the channel: a share link is not offered the button at all.
  if (track.access === "share") return null;
  const next = channel === "beta" ? "stable" : "beta";
  const result = h("p", { class: "channel-result", role: "status" });
  const button = h("button", { type: "button", class: "secondary" }, t.t(next === "beta" ? "joinBeta" : "leaveBeta"));
  button.addEventListener("click", async () => {
    if (!window.confirm(t.t(next === "beta" ? "confirmBeta" : "confirmStable"))) return;
    button.disabled = true;
    try {
      await changeChannel(code, next);
      result.textContent = t.t("channelSaved", { channel: t.t(next === "beta" ? "channelNameBeta" : "channelNameStable") });
      changed();
    } catch (error) {
      // The server's detail is English; the reader gets the page's language.
      result.textContent = t.t(error instanceof ApiProblem && error.status === 403 ? "channelForbidden" : "channelFailed");
    } finally {
      button.disabled = false;
    }
  });
  return h(
    "section",
    { class: "card channel", "aria-labelledby": "channel-title" },
    h("h2", { id: "channel-title" }, t.t("channelHeading")),
    h("p", {}, t.t(channel === "beta" ? "channelBeta" : "channelStable")),
    button,
    result,
  );
}

// The owner's tracking page for one code: loads the status, keeps it fresh,
// and says plainly when the server cannot be reached.
import { ApiProblem } from "../lib/api";
import { h, replace } from "../lib/dom";
import { type Poller, type PollState, startPolling } from "../lib/poller";
import { renderChannel } from "./channel-section";
import { renderCar, renderEta, renderNotes, renderTimeline } from "./detail-sections";
import type { Translator } from "./i18n";
import { renderNotice, renderStatus } from "./status-section";
import { fetchTrack, type Track } from "./track-api";
import { WaveSection } from "./wave-section";
import { renderKnownIssues } from "./known-issues-section";

/** A spot on the page that is rebuilt only when what it shows changed, so focus and screen readers are not disturbed. */
class Slot {
  readonly element: HTMLElement;
  private last = "";
  constructor(attrs: Record<string, string> = {}) {
    this.element = h("div", attrs);
  }
  show(key: string, build: () => Node | null): void {
    if (key === this.last) return;
    this.last = key;
    replace(this.element, build());
  }
}

const activeStates = new Set(["offered", "downloading", "installing"]);

export class TrackerPage {
  private track: Track | null = null;
  private poll: PollState | null = null;
  private readonly hero = new Slot({ class: "hero", "aria-live": "polite" });
  private readonly notice = new Slot();
  private readonly wave = new WaveSection();
  private readonly eta = new Slot();
  private readonly timeline = new Slot();
  private readonly notes = new Slot();
  private readonly knownIssues = new Slot();
  private readonly car = new Slot();
  private readonly channel = new Slot();
  private readonly updated = h("p", { class: "updated muted" });
  private readonly problem = h("div", { class: "connection-problem", role: "alert" });
  private readonly privacy = h("p", { class: "privacy muted" });
  private readonly poller: Poller;

  constructor(main: HTMLElement, private readonly code: string, private t: Translator) {
    replace(
      main,
      this.problem,
      this.hero.element,
      this.notice.element,
      h("div", { class: "columns" }, h("div", { class: "column" }, this.wave.element, this.eta.element), h("div", { class: "column" }, this.timeline.element, this.notes.element, this.knownIssues.element, this.car.element, this.channel.element)),
      this.updated,
      this.privacy,
    );
    this.wave.element.hidden = true;
    this.hero.show("loading", () => h("p", { class: "loading" }, this.t.t("loading")));
    this.poller = startPolling({
      load: async () => {
        this.track = await fetchTrack(this.code);
      },
      intervalMs: () => (this.track && activeStates.has(this.track.state) ? 15_000 : 30_000),
      onState: (state) => {
        this.poll = state;
        // A wrong or expired code will not fix itself: stop asking.
        if (this.isFatal()) {
          this.poller.stop();
          this.track = null;
        }
        this.render();
      },
    });
  }

  setTranslator(t: Translator): void {
    this.t = t;
    this.render();
  }

  private render(): void {
    const { t, track } = this;
    const lang = t.locale;
    this.renderConnection();
    this.privacy.textContent = track ? t.t("privacyNote") : "";
    if (!track) {
      if (this.poll?.kind !== "failing") return;
      for (const slot of [this.notice, this.eta, this.timeline, this.notes, this.knownIssues, this.car, this.channel]) slot.show("", () => null);
      this.wave.element.hidden = true;
      const text = this.failureText();
      const retry = !this.isFatal() && h("button", { type: "button", class: "secondary", onclick: () => this.poller.refreshNow() }, t.t("retryNow"));
      this.hero.show(`error:${lang}:${text}`, () => h("div", { class: "error-box" }, h("p", { class: "error-text" }, text), retry));
      return;
    }
    const key = (part: unknown) => `${lang}:${JSON.stringify(part)}`;
    this.hero.show(key([track.state, track.queue, track.release?.version, track.reason, track.vehicle.firmware]), () => renderStatus(track, t));
    this.notice.show(key(track.notice), () => renderNotice(track, t));
    this.wave.update(track, t);
    this.eta.show(key([track.state, track.eta, track.notice?.kind]), () => renderEta(track, t));
    this.timeline.show(key(track.timeline), () => renderTimeline(track, t));
    this.notes.show(key(track.release), () => renderNotes(track, t));
    this.knownIssues.show(key(track.knownIssues), () => renderKnownIssues(track, t));
    this.car.show(key(track.vehicle), () => renderCar(track, t));
    this.channel.show(key(track.vehicle.channel), () => renderChannel(track, t, this.code, () => this.poller.refreshNow()));
  }

  private isFatal(): boolean {
    const poll = this.poll;
    return poll?.kind === "failing" && poll.error instanceof ApiProblem && [401, 403, 404, 410].includes(poll.error.status);
  }

  private failureText(): string {
    const { t, poll } = this;
    if (poll?.kind !== "failing") return "";
    const error = poll.error;
    const seconds = Math.max(1, Math.round(poll.retryInMs / 1000));
    if (!navigator.onLine) return t.t("offline");
    if (!(error instanceof ApiProblem)) return t.t("genericError", { detail: String(error) });
    if (error.status === 404 || error.status === 410) return t.t("notFound");
    if (error.status === 429) return t.t("rateLimited", { seconds });
    if (error.unreachable || error.status >= 500) return t.t("unreachable", { seconds });
    return t.t("genericError", { detail: error.describe() });
  }

  private renderConnection(): void {
    const { t, poll } = this;
    const fatal = this.isFatal();
    // With nothing shown yet the hero carries the message; otherwise keep the last status and warn above it.
    const warn = poll?.kind === "failing" && !fatal && this.track !== null;
    this.problem.hidden = !warn;
    if (warn) {
      replace(this.problem, h("p", {}, this.failureText()), h("button", { type: "button", class: "secondary", onclick: () => this.poller.refreshNow() }, t.t("retryNow")));
    } else this.problem.replaceChildren();
    if (poll?.kind === "ok") this.updated.textContent = `${t.t("updatedAt", { time: t.time(poll.at) })} · ${t.t("autoRefresh")}`;
    else if (!this.track) this.updated.textContent = "";
  }
}

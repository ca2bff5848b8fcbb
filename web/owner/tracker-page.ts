// The owner's tracking page for one code: loads the status, keeps it fresh,
// and says plainly when the server cannot be reached or the code is wrong.
import { ApiProblem } from "../lib/api";
import { h, replace } from "../lib/dom";
import { type Poller, type PollState, startPolling } from "../lib/poller";
import { renderChannel } from "./channel-section";
import { renderUnknownCode } from "./code-form";
import { renderCar, renderNotes, renderTimeline } from "./detail-sections";
import { type EtaMove, EtaMemory } from "./eta-memory";
import { renderEta } from "./eta-section";
import { renderFaq } from "./faq-section";
import type { Translator } from "./i18n";
import { renderNotifyMe } from "./notify-me";
import { renderPrepare } from "./prepare-section";
import { renderNotice, renderStatus } from "./status-section";
import { renderSteps } from "./steps-section";
import { fetchTrack, isTrackingCode, type Track } from "./track-api";
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
/** Answers that a wrong, expired or revoked code gets: asking again will not help. */
const unknownCodeStatuses = [400, 401, 403, 404, 410];

export class TrackerPage {
  private track: Track | null = null;
  private poll: PollState | null = null;
  private lastOk: Date | null = null;
  private etaMove: EtaMove | null = null;
  private memory: Promise<EtaMemory | null>;
  private readonly hero = new Slot({ class: "hero", "aria-live": "polite" });
  private readonly steps = new Slot({ class: "steps-slot" });
  private readonly notice = new Slot();
  private readonly wave = new WaveSection();
  private readonly eta = new Slot();
  // Left for the public rollout page's link ("see how the rollout is going", /releases) and known issues.
  private readonly afterEta = h("div", { class: "after-eta" });
  private readonly prepare = new Slot();
  private readonly timeline = new Slot();
  private readonly notes = new Slot();
  private readonly knownIssues = new Slot();
  private readonly car = new Slot();
  private readonly channel = new Slot();
  private readonly notify = new Slot();
  private readonly faq = new Slot();
  private readonly updated = h("p", { class: "updated muted" });
  private readonly problem = h("div", { class: "connection-problem", role: "alert" });
  private readonly privacy = h("p", { class: "privacy muted" });
  private readonly poller: Poller | null = null;

  constructor(private readonly main: HTMLElement, private readonly code: string, private t: Translator) {
    this.memory = EtaMemory.open(code);
    replace(
      main,
      this.problem,
      this.hero.element,
      this.steps.element,
      this.notice.element,
      h(
        "div",
        { class: "columns" },
        h("div", { class: "column" }, this.wave.element, this.eta.element, this.afterEta, this.prepare.element),
        h("div", { class: "column" }, this.timeline.element, this.notes.element, this.knownIssues.element, this.car.element, this.channel.element, this.notify.element, this.faq.element),
      ),
      this.updated,
      this.privacy,
    );
    this.wave.element.hidden = true;
    this.problem.hidden = true;
    // A code that cannot be one is answered at once, without asking the server.
    if (!isTrackingCode(code)) {
      this.showUnknown();
      return;
    }
    this.hero.show("loading", () => h("p", { class: "loading" }, this.t.t("loading")));
    this.poller = startPolling({
      load: async () => {
        const track = await fetchTrack(this.code, this.t.locale);
        this.etaMove = (await this.memory)?.update(track) ?? null;
        this.track = track;
      },
      intervalMs: () => (this.track && activeStates.has(this.track.state) ? 15_000 : 30_000),
      onState: (state) => {
        this.poll = state;
        if (state.kind === "ok") this.lastOk = state.at;
        this.render();
      },
    });
  }

  setTranslator(t: Translator): void {
    this.t = t;
    if (this.isUnknown()) this.showUnknown();
    else this.render();
    // Notes, wave names and notices come from the server in the page's language.
    this.poller?.refreshNow();
  }

  private isUnknown(): boolean {
    if (!isTrackingCode(this.code)) return true;
    const poll = this.poll;
    return poll?.kind === "failing" && poll.error instanceof ApiProblem && unknownCodeStatuses.includes(poll.error.status);
  }

  /** The friendly page for a wrong code: a heading, what to do, and the field to enter it again. */
  private showUnknown(): void {
    this.poller?.stop();
    this.track = null;
    replace(this.main, renderUnknownCode(this.t));
  }

  private render(): void {
    const { t, track } = this;
    if (this.isUnknown()) return this.showUnknown();
    const lang = t.locale;
    this.renderConnection();
    this.privacy.textContent = track ? t.t(track.access === "share" ? "sharedLinkNote" : "privacyNote") : "";
    if (!track) {
      if (this.poll?.kind !== "failing") return;
      const text = this.failureText();
      const retry = h("button", { type: "button", class: "secondary", onclick: () => this.poller?.refreshNow() }, t.t("retryNow"));
      this.hero.show(`error:${lang}:${text}`, () => h("div", { class: "error-box" }, h("p", { class: "error-text" }, text), retry));
      return;
    }
    const key = (part: unknown) => `${lang}:${JSON.stringify(part)}`;
    this.hero.show(key([track.state, track.queue, track.release?.version, track.reason, track.vehicle.firmware]), () => renderStatus(track, t));
    this.steps.show(key(track.state), () => renderSteps(track, t));
    this.notice.show(key(track.notice), () => renderNotice(track, t));
    this.wave.update(track, t);
    this.eta.show(key([track.state, track.eta, track.notice?.kind, this.etaMove]), () => renderEta(track, t, this.etaMove));
    this.prepare.show(key([track.state, track.release]), () => renderPrepare(track, t));
    // How the rollout goes for everyone: most "still waiting?" questions end there.
    replace(this.afterEta, track.release ? h("p", { class: "rollout-link" }, h("a", { href: `/releases#v${track.release.version}` }, t.t("rolloutLink"))) : null);
    this.timeline.show(key([track.timeline, track.queue?.wave]), () => renderTimeline(track, t));
    this.notes.show(key([track.state, track.release]), () => renderNotes(track, t));
    this.knownIssues.show(key([lang, track.knownIssues]), () => renderKnownIssues(track, t));
    this.car.show(key(track.vehicle), () => renderCar(track, t));
    this.channel.show(key([track.vehicle.channel, track.access]), () => renderChannel(track, t, this.code, () => this.poller?.refreshNow()));
    this.faq.show(lang, () => renderFaq(t));
    // Only the owner's own code may subscribe: a share link is not offered it.
    this.notify.show(key([lang, track.access]), () => (track.access === "owner" ? renderNotifyMe(this.code, t) : null));
  }

  private failureText(): string {
    const { t, poll } = this;
    if (poll?.kind !== "failing") return "";
    const error = poll.error;
    const seconds = Math.max(1, Math.round(poll.retryInMs / 1000));
    if (!navigator.onLine) return t.t("offline");
    if (error instanceof ApiProblem && error.status === 429) return t.t("rateLimited", { seconds });
    if (error instanceof ApiProblem && !error.unreachable && error.status < 500) return t.t("genericError", { detail: `HTTP ${error.status}` });
    return t.t("unreachable", { seconds });
  }

  private renderConnection(): void {
    const { t, poll } = this;
    // With nothing shown yet the hero carries the message; otherwise keep the last status, marked stale, and say how old it is.
    const stale = poll?.kind === "failing" && this.track !== null;
    this.problem.hidden = !stale;
    this.hero.element.classList.toggle("stale", stale);
    if (stale) {
      const age = this.lastOk ? `${t.t("staleSince", { ago: t.ago(this.lastOk) })} ` : "";
      replace(this.problem, h("p", {}, age + this.failureText()), h("button", { type: "button", class: "secondary", onclick: () => this.poller?.refreshNow() }, t.t("retryNow")));
    } else this.problem.replaceChildren();
    if (poll?.kind === "ok") this.updated.textContent = `${t.t("updatedAt", { time: t.time(poll.at) })} · ${t.t("autoRefresh")}`;
    else if (!this.track) this.updated.textContent = "";
  }
}

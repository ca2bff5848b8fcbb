// The wave plan editor. Saving is a two-step: preview the impact (dryRun)
// of exactly these edits, then apply them with the ETag the plan was loaded
// with, so a concurrent edit by someone else is refused (412), never lost.
import { ApiProblem } from "../lib/api";
import { h, replace } from "../lib/dom";
import { api } from "./session";
import type { Release, ReplanPreview, WavePlan, WavePlanItem } from "./types";
import { errorBox, scrollBox, toast } from "./ui";
import { renderImpact } from "./wave-impact";
import { editorColumns, markInvalid, readRow, waveRow } from "./wave-rows";

export class WaveEditor {
  readonly element: HTMLElement;
  private readonly body = h("tbody");
  private readonly impact = h("div", { class: "impact-box", "aria-live": "polite" });
  private readonly error = errorBox();
  private readonly status = h("p", { class: "muted editor-status" });
  private readonly previewButton = h("button", { type: "button", class: "secondary" }, "Preview impact");
  private readonly applyButton = h("button", { type: "button", class: "primary" }, "Apply plan");
  private release: Release | null = null;
  /** The ETag of the plan on screen: what If-Match sends. */
  private etag = "";
  private latestEtag = "";
  private dirty = false;
  private previewed: string | null = null;

  constructor(private readonly saved: (release: Release, etag: string) => void) {
    this.previewButton.addEventListener("click", () => void this.preview());
    this.applyButton.addEventListener("click", () => void this.apply());
    this.element = h(
      "section",
      { class: "card wave-editor", "aria-labelledby": "editor-title" },
      h("h2", { id: "editor-title" }, "Wave plan"),
      h("p", { class: "muted" }, "Shares are cumulative: a wave reaches the first share % of the queue. Preview shows who moves before anything is saved; a plan that would take back an update already offered is refused."),
      scrollBox(h("table", { class: "editor" }, h("thead", {}, h("tr", {}, ...editorColumns.map((c) => h("th", { scope: "col" }, c || h("span", { class: "visually-hidden" }, "Remove"))))), this.body), "Wave plan"),
      h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", onclick: () => this.addRow() }, "Add wave"), h("button", { type: "button", class: "secondary", onclick: () => this.reset() }, "Discard edits"), this.previewButton, this.applyButton),
      this.status,
      this.error,
      this.impact,
    );
  }

  /** Shows the release's current plan, unless the manager is in the middle of editing. */
  load(release: Release, etag: string): void {
    if (etag === this.latestEtag && this.release) return;
    this.release = release;
    this.latestEtag = etag;
    if (this.dirty) {
      this.status.textContent = "The release changed since you started editing; applying will be refused. Discard your edits to see the latest plan.";
      return;
    }
    this.reset();
  }

  private rows(): HTMLTableRowElement[] {
    return [...this.body.querySelectorAll("tr")];
  }

  private reset(): void {
    this.etag = this.latestEtag;
    const waves = this.release?.waves ?? [];
    replace(this.body, ...waves.map((w, i) => waveRow(i + 1, w, () => this.edited(), () => this.remove(i))));
    if (!waves.length) this.addRow();
    this.dirty = false;
    this.edited(false);
    this.status.textContent = waves.length ? "" : "No waves planned yet.";
  }

  private addRow(): void {
    const rows = this.rows();
    const last = rows.length ? readRow(rows[rows.length - 1]!).share : 0;
    const index = rows.length + 1;
    this.body.append(waveRow(index, { name: `wave ${index}`, share: Math.min(100, last ? last * 2 : 100) }, () => this.edited(), () => this.remove(index - 1)));
    this.edited();
  }

  private remove(position: number): void {
    const plan = this.plan().filter((_, i) => i !== position);
    // Done waves come first and are never removed, so each row keeps the state of the wave at its place.
    const stateAt = (i: number) => this.release?.waves[i]?.state;
    replace(this.body, ...plan.map((item, i) => waveRow(i + 1, { ...item, state: stateAt(i), ratePerHour: item.ratePerHour ?? null, startAt: item.startAt ?? null, autoAdvance: item.autoAdvance ?? null, stopAt: item.stopAt ?? null }, () => this.edited(), () => this.remove(i))));
    this.edited();
  }

  private edited(dirty = true): void {
    if (dirty) this.dirty = true;
    this.previewed = null;
    this.applyButton.disabled = true;
    this.impact.replaceChildren();
    this.error.clear();
    if (dirty) this.status.textContent = "Edited: preview the impact, then apply.";
  }

  private plan(): WavePlanItem[] {
    return this.rows().map(readRow);
  }

  private path(dryRun: boolean): string {
    return `/v1/releases/${encodeURIComponent(this.release?.version ?? "")}/waves${dryRun ? "?dryRun=true" : ""}`;
  }

  private async preview(): Promise<void> {
    const plan = this.plan();
    this.error.clear();
    markInvalid(this.rows(), []);
    try {
      const { data } = await api<ReplanPreview>(this.path(true), { method: "PUT", body: { waves: plan } satisfies WavePlan });
      this.previewed = JSON.stringify(plan);
      replace(this.impact, renderImpact(data));
      this.applyButton.disabled = false;
      this.status.textContent = "Previewed: apply to save exactly this plan.";
    } catch (e) {
      this.fail(e);
    }
  }

  private async apply(): Promise<void> {
    const plan = this.plan();
    // The preview must be of exactly what is saved.
    if (this.previewed !== JSON.stringify(plan)) return void this.edited();
    this.applyButton.disabled = true;
    try {
      const { data, headers } = await api<Release>(this.path(false), { method: "PUT", body: { waves: plan } satisfies WavePlan, headers: { "if-match": this.etag } });
      this.dirty = false;
      const etag = headers.get("etag") ?? "";
      this.load(data, etag);
      this.saved(data, etag);
      toast(`Wave plan of ${data.version} saved.`);
    } catch (e) {
      this.applyButton.disabled = false;
      this.fail(e);
    }
  }

  private fail(error: unknown): void {
    if (error instanceof ApiProblem) markInvalid(this.rows(), error.errors.map((e) => e.field));
    if (error instanceof ApiProblem && error.status === 412) {
      this.error.show(new Error("Someone changed this release since you loaded the plan, so nothing was saved. Discard your edits to load the latest plan, then make them again."));
    } else this.error.show(error);
  }
}

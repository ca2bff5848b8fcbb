// What owners read about a release, edited per language: the release notes
// and the UN R156 fields (purpose, expected install time, what the car
// cannot do meanwhile, what to do before). Saved with PATCH under the ETag
// the form was filled from, so a concurrent edit is refused, never lost.
import { ApiProblem } from "../lib/api";
import { h } from "../lib/dom";
import { languages, listText, localizedList, localizedText, type Tag, writtenIn } from "./localized-fields";
import { api } from "./session";
import type { Release } from "./types";
import { errorBox, field, toast } from "./ui";

const purposes = ["security", "safety", "recall", "fix", "feature"] as const;
type Purpose = (typeof purposes)[number];
type ListName = "unavailableDuring" | "instructions";

export class OwnerInfoEditor {
  readonly element: HTMLElement;
  private readonly form = h("form", { class: "owner-info" });
  private readonly error = errorBox();
  private readonly notes = perLanguage((l) => h("textarea", { name: `notes-${l}`, rows: 4, maxlength: "20000" }));
  private readonly lists: Record<ListName, Record<Tag, HTMLTextAreaElement>> = {
    unavailableDuring: perLanguage((l) => h("textarea", { name: `unavailableDuring-${l}`, rows: 2 })),
    instructions: perLanguage((l) => h("textarea", { name: `instructions-${l}`, rows: 3 })),
  };
  private readonly purpose = h("select", { name: "purpose" }, h("option", { value: "" }, "not stated"), ...purposes.map((p) => h("option", { value: p }, p)));
  private readonly minutes = h("input", { name: "installMinutes", type: "number", min: "1", max: "1440", step: "1", inputmode: "numeric", class: "short-number" });
  private release: Release | null = null;
  private etag = "";
  private dirty = false;

  constructor(private readonly saved: (release: Release, etag: string) => void) {
    const group = (legend: string, fields: Record<Tag, HTMLTextAreaElement>, label: string, hint?: string) =>
      h("fieldset", { class: "languages" }, h("legend", {}, legend), ...languages.map((l) => field(`${label} (${l.name})`, fields[l.tag], l.tag === "en" ? hint : undefined)));
    this.form.append(
      group("Release notes", this.notes, "Release notes", "Required before any other language; owners without their language read English."),
      h("div", { class: "grid-form" }, field("Purpose", this.purpose, "Why the update is made (UN R156)"), field("Install time (minutes)", this.minutes, "How long the car is unavailable")),
      group("Unavailable during the install", this.lists.unavailableDuring, "Unavailable during", "One function per line, e.g. Driving"),
      group("Before the install", this.lists.instructions, "Instructions", "One step per line, e.g. Park the car"),
      this.error,
      h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Save what owners read"), h("button", { type: "button", class: "secondary", onclick: () => this.fill() }, "Discard edits")),
    );
    this.form.addEventListener("input", () => (this.dirty = true));
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.save();
    });
    this.element = h(
      "section",
      { class: "card", "aria-labelledby": "owner-info-title" },
      h("h2", { id: "owner-info-title" }, "What owners read"),
      h("p", { class: "muted" }, "Shown on the owner page in the reader's language, English when theirs is missing."),
      this.form,
    );
  }

  /** Shows the release's text, unless the manager is in the middle of editing it. */
  load(release: Release, etag: string): void {
    this.release = release;
    if (this.dirty) return;
    this.etag = etag;
    this.fill();
  }

  private fill(): void {
    const r = this.release;
    if (!r) return;
    for (const l of languages) {
      this.notes[l.tag].value = writtenIn(r.notes, l.tag) ?? "";
      for (const name of ["unavailableDuring", "instructions"] as const) this.lists[name][l.tag].value = listText(r[name], l.tag);
    }
    this.purpose.value = r.purpose ?? "";
    this.minutes.value = r.installMinutes == null ? "" : String(r.installMinutes);
    this.dirty = false;
    this.error.clear();
  }

  private async save(): Promise<void> {
    const r = this.release;
    if (!r) return;
    const texts = (fields: Record<Tag, HTMLTextAreaElement>) => Object.fromEntries(languages.map((l) => [l.tag, fields[l.tag].value]));
    const minutes = this.minutes.value.trim();
    const body = {
      notes: localizedText(texts(this.notes), typeof r.notes === "string" ? null : r.notes),
      // The select offers only the API's purposes.
      purpose: (this.purpose.value || null) as Purpose | null,
      installMinutes: minutes ? Number(minutes) : null,
      unavailableDuring: localizedList(texts(this.lists.unavailableDuring)),
      instructions: localizedList(texts(this.lists.instructions)),
    };
    this.error.clear();
    try {
      const { data, headers } = await api<Release>(`/v1/releases/${encodeURIComponent(r.version)}`, { method: "PATCH", body, headers: { "if-match": this.etag } });
      this.dirty = false;
      const etag = headers.get("etag") ?? "";
      this.load(data, etag);
      this.saved(data, etag);
      toast(`What owners read about ${data.version} saved.`);
    } catch (e) {
      this.error.show(e instanceof ApiProblem && e.status === 412 ? new Error("Someone changed this release since the form was filled, so nothing was saved. Discard your edits to load the latest text, then make them again.") : e);
    }
  }
}

function perLanguage<T>(make: (tag: Tag) => T): Record<Tag, T> {
  // Every tag of `languages` is filled in below.
  return Object.fromEntries(languages.map((l) => [l.tag, make(l.tag)])) as Record<Tag, T>;
}

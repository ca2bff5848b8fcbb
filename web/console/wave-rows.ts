// One editable row per wave, and the conversion between a row's inputs and
// the plan item the API takes (blank optional fields mean "not set").
// A wave's name is written per language, and every language goes back to
// the API (saving once dropped the Dutch and German names). A done wave is
// history: its share is fixed and it cannot be removed (the API refuses both).
import type { LocalizedText } from "../../src/domain/localized-text";
import { h } from "../lib/dom";
import { languages, localizedText, writtenIn } from "./localized-fields";
import type { Wave, WavePlanItem } from "./types";

/** Names kept per row element, so languages the console does not edit survive a save. */
const storedNames = new WeakMap<HTMLTableRowElement, LocalizedText>();

type Input = HTMLInputElement | HTMLSelectElement;
type FieldName = "share" | "ratePerHour" | "startAt" | "minSuccessPercent" | "soakMinutes" | "maxFailurePercent" | "minSample" | "action";

/** ISO → the value a datetime-local input shows (local time, minutes). */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const labels: Record<FieldName, string> = {
  share: "cumulative share (%)",
  ratePerHour: "offers per hour (blank: all at once)",
  startAt: "not before",
  minSuccessPercent: "auto-advance at success (%)",
  soakMinutes: "auto-advance soak (minutes)",
  maxFailurePercent: "stop at failure (%)",
  minSample: "stop after at least (outcomes)",
  action: "stop action",
};

export type EditableWave = Partial<Omit<Wave, "name">> & { name?: LocalizedText };

export function waveRow(index: number, wave: EditableWave, onInput: () => void, onRemove: () => void): HTMLTableRowElement {
  const done = wave.state === "done";
  const control = (name: string, label: string, value: string | number | null | undefined, attrs: Record<string, string> = {}) => {
    const el = h("input", { name, "aria-label": `Wave ${index} ${label}`, "data-field": name, ...attrs });
    el.value = value == null ? "" : String(value);
    el.addEventListener("input", onInput);
    return el;
  };
  const input = (name: FieldName, value: string | number | null | undefined, attrs: Record<string, string> = {}) => h("td", {}, control(name, labels[name], value, attrs));
  const names = h(
    "td",
    { class: "wave-names" },
    ...languages.map((l) =>
      h("span", { class: "lang-input" }, h("span", { class: "lang-tag", "aria-hidden": "true" }, l.tag), control(`name-${l.tag}`, `name (${l.name})`, writtenIn(wave.name, l.tag), { maxlength: "60", ...(l.tag === "en" ? { required: "" } : {}) })),
    ),
  );
  const action = h("select", { name: "action", "aria-label": `Wave ${index} ${labels.action}`, "data-field": "action" }, h("option", { value: "pause" }, "pause"), h("option", { value: "halt" }, "halt"));
  action.value = wave.stopAt?.action ?? "pause";
  action.addEventListener("change", onInput);
  const num = { type: "number", inputmode: "decimal", min: "0" };
  const row = h(
    "tr",
    { class: `wave-row${wave.state && wave.state !== "pending" ? ` wave-${wave.state}` : ""}`, "data-state": wave.state ?? "pending" },
    h("th", { scope: "row" }, String(index), wave.state && wave.state !== "pending" ? h("span", { class: "muted small" }, ` (${wave.state})`) : null),
    names,
    input("share", wave.share, { ...num, step: "any", max: "100", required: "", ...(done ? { readonly: "", title: "A done wave keeps its share: its vehicles were offered as this wave." } : {}) }),
    input("ratePerHour", wave.ratePerHour, { ...num, step: "1" }),
    input("startAt", toLocalInput(wave.startAt), { type: "datetime-local" }),
    input("minSuccessPercent", wave.autoAdvance?.minSuccessPercent, { ...num, step: "any", max: "100" }),
    input("soakMinutes", wave.autoAdvance?.soakMinutes, { ...num, step: "1" }),
    input("maxFailurePercent", wave.stopAt?.maxFailurePercent, { ...num, step: "any", max: "100" }),
    input("minSample", wave.stopAt?.minSample, { ...num, step: "1" }),
    h("td", {}, action),
    h(
      "td",
      {},
      done
        ? h("span", { class: "muted small" }, "kept")
        : h("button", { type: "button", class: "secondary small", "aria-label": `Remove wave ${index}`, title: `Remove wave ${index}`, onclick: onRemove }, "✕"),
    ),
  );
  if (wave.name !== undefined) storedNames.set(row, wave.name);
  return row;
}

/** The plan item a row describes; blank optional groups are left out. */
export function readRow(row: HTMLTableRowElement): WavePlanItem {
  // Every row is built by waveRow, so each field is there.
  const get = (name: string) => (row.querySelector(`[data-field="${name}"]`) as Input).value.trim();
  const number = (name: FieldName) => (get(name) === "" ? undefined : Number(get(name)));
  const texts = Object.fromEntries(languages.map((l) => [l.tag, get(`name-${l.tag}`)]));
  const item: WavePlanItem = { name: localizedText(texts, storedNames.get(row)), share: number("share") ?? Number.NaN };
  const rate = number("ratePerHour");
  if (rate !== undefined) item.ratePerHour = rate;
  if (get("startAt")) item.startAt = new Date(get("startAt")).toISOString();
  const minSuccessPercent = number("minSuccessPercent");
  const soakMinutes = number("soakMinutes");
  if (minSuccessPercent !== undefined || soakMinutes !== undefined) item.autoAdvance = { minSuccessPercent: minSuccessPercent ?? 100, soakMinutes: soakMinutes ?? 0 };
  const maxFailurePercent = number("maxFailurePercent");
  const minSample = number("minSample");
  if (maxFailurePercent !== undefined || minSample !== undefined) {
    item.stopAt = { maxFailurePercent: maxFailurePercent ?? 100, minSample: minSample ?? 1, action: get("action") === "halt" ? "halt" : "pause" };
  }
  return item;
}

export const editorColumns = ["#", "Name (en · nl · de)", "Share %", "Rate / h", "Not before", "Advance at %", "Soak min", "Stop at fail %", "Min sample", "Stop action", ""];

/** Marks the inputs the API named in a validation problem ("waves.1.share" → row 2, share). */
export function markInvalid(rows: HTMLTableRowElement[], fields: string[]): void {
  for (const el of rows.flatMap((r) => [...r.querySelectorAll("[data-field]")])) el.removeAttribute("aria-invalid");
  for (const f of fields) {
    const m = /^waves\.(\d+)(?:\.(\w+))?(?:\.(\w+))?/.exec(f);
    if (!m) continue;
    const row = rows[Number(m[1])];
    const name = m[2] === "name" || !m[2] ? `name-${m[3] ?? "en"}` : (m[3] ?? (m[2] === "autoAdvance" ? "minSuccessPercent" : m[2] === "stopAt" ? "maxFailurePercent" : m[2]));
    row?.querySelector(`[data-field="${name}"]`)?.setAttribute("aria-invalid", "true");
  }
}

// One editable row per wave, and the conversion between a row's inputs and
// the plan item the API takes (blank optional fields mean "not set").
import { englishOf } from "../../src/domain/localized-text";
import { h } from "../lib/dom";
import type { Wave, WavePlanItem } from "./types";

type Input = HTMLInputElement | HTMLSelectElement;
type FieldName = "name" | "share" | "ratePerHour" | "startAt" | "minSuccessPercent" | "soakMinutes" | "maxFailurePercent" | "minSample" | "action";

/** ISO → the value a datetime-local input shows (local time, minutes). */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const labels: Record<FieldName, string> = {
  name: "name",
  share: "cumulative share (%)",
  ratePerHour: "offers per hour (blank: all at once)",
  startAt: "not before",
  minSuccessPercent: "auto-advance at success (%)",
  soakMinutes: "auto-advance soak (minutes)",
  maxFailurePercent: "stop at failure (%)",
  minSample: "stop after at least (outcomes)",
  action: "stop action",
};

export function waveRow(index: number, wave: Partial<Wave>, onInput: () => void, onRemove: () => void): HTMLTableRowElement {
  const input = (name: FieldName, value: string | number | null | undefined, attrs: Record<string, string> = {}) => {
    const el = h("input", { name, "aria-label": `Wave ${index} ${labels[name]}`, "data-field": name, ...attrs });
    el.value = value == null ? "" : String(value);
    el.addEventListener("input", onInput);
    return h("td", {}, el);
  };
  const action = h("select", { name: "action", "aria-label": `Wave ${index} ${labels.action}`, "data-field": "action" }, h("option", { value: "pause" }, "pause"), h("option", { value: "halt" }, "halt"));
  action.value = wave.stopAt?.action ?? "pause";
  action.addEventListener("change", onInput);
  const num = { type: "number", inputmode: "decimal", min: "0" };
  return h(
    "tr",
    { class: `wave-row${wave.state && wave.state !== "pending" ? ` wave-${wave.state}` : ""}` },
    h("th", { scope: "row" }, String(index), wave.state && wave.state !== "pending" ? h("span", { class: "muted small" }, ` (${wave.state})`) : null),
    input("name", wave.name === undefined ? undefined : englishOf(wave.name), { required: "", maxlength: "60" }),
    input("share", wave.share, { ...num, step: "any", max: "100", required: "" }),
    input("ratePerHour", wave.ratePerHour, { ...num, step: "1" }),
    input("startAt", toLocalInput(wave.startAt), { type: "datetime-local" }),
    input("minSuccessPercent", wave.autoAdvance?.minSuccessPercent, { ...num, step: "any", max: "100" }),
    input("soakMinutes", wave.autoAdvance?.soakMinutes, { ...num, step: "1" }),
    input("maxFailurePercent", wave.stopAt?.maxFailurePercent, { ...num, step: "any", max: "100" }),
    input("minSample", wave.stopAt?.minSample, { ...num, step: "1" }),
    h("td", {}, action),
    h("td", {}, h("button", { type: "button", class: "secondary small", "aria-label": `Remove wave ${index}`, title: `Remove wave ${index}`, onclick: onRemove }, "✕")),
  );
}

/** The plan item a row describes; blank optional groups are left out. */
export function readRow(row: HTMLTableRowElement): WavePlanItem {
  const get = (name: FieldName) => (row.querySelector(`[data-field="${name}"]`) as Input).value.trim();
  const number = (name: FieldName) => (get(name) === "" ? undefined : Number(get(name)));
  const item: WavePlanItem = { name: get("name"), share: number("share") ?? Number.NaN };
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

export const editorColumns = ["#", "Name", "Share %", "Rate / h", "Not before", "Advance at %", "Soak min", "Stop at fail %", "Min sample", "Stop action", ""];

/** Marks the inputs the API named in a validation problem ("waves.1.share" → row 2, share). */
export function markInvalid(rows: HTMLTableRowElement[], fields: string[]): void {
  for (const el of rows.flatMap((r) => [...r.querySelectorAll("[data-field]")])) el.removeAttribute("aria-invalid");
  for (const f of fields) {
    const m = /^waves\.(\d+)(?:\.(\w+))?(?:\.(\w+))?/.exec(f);
    if (!m) continue;
    const row = rows[Number(m[1])];
    const name = m[3] ?? (m[2] === "autoAdvance" ? "minSuccessPercent" : m[2] === "stopAt" ? "maxFailurePercent" : m[2] ?? "name");
    row?.querySelector(`[data-field="${name}"]`)?.setAttribute("aria-invalid", "true");
  }
}

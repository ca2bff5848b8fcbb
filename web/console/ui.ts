// Small pieces every console view uses: errors in words, badges, formatting.
import { ApiProblem } from "../lib/api";
import { h } from "../lib/dom";

const locale = navigator.language || "en";
const numbers = new Intl.NumberFormat(locale);
const dates = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
const percents = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });

export const num = (n: number) => numbers.format(n);
export const pct = (ratio: number) => percents.format(ratio);
export const when = (iso: string | null | undefined) => (iso ? dates.format(new Date(iso)) : "—");

export function describeError(error: unknown): string {
  if (error instanceof ApiProblem) return error.status ? `${error.describe()} (${error.status} ${error.title})` : error.describe();
  return error instanceof Error ? error.message : String(error);
}

/** An alert a screen reader announces; empty when there is nothing wrong. */
export type ErrorBox = HTMLElement & { show: (error: unknown) => void; clear: () => void };

export function errorBox(): ErrorBox {
  const box = h("div", { class: "error", role: "alert" });
  box.hidden = true;
  const show = (error: unknown) => {
    box.hidden = false;
    box.replaceChildren(h("strong", {}, "Error: "), describeError(error));
    if (error instanceof ApiProblem && error.errors.length > 1) {
      box.append(h("ul", {}, ...error.errors.map((e) => h("li", {}, `${e.field}: ${e.message}`))));
    }
  };
  const clear = () => {
    box.hidden = true;
    box.replaceChildren();
  };
  return Object.assign(box, { show, clear });
}

export function badge(state: string): HTMLElement {
  return h("span", { class: `badge state-${state}` }, state.replace(/_/g, " "));
}

let toastTimer: ReturnType<typeof setTimeout> | undefined;
/** A short confirmation ("Copied", "Plan saved") in the page's live region. */
export function toast(text: string): void {
  const region = document.getElementById("toast");
  if (!region) return;
  // The region stays in the page (empty when idle) so screen readers announce each change.
  region.textContent = text;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    region.textContent = "";
  }, 5000);
}

/** A labelled form field: label, control, optional hint. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  const hintEl = hint ? h("small", { id: `${id}-hint`, class: "muted" }, hint) : null;
  if (hintEl) control.setAttribute("aria-describedby", hintEl.id);
  return h("div", { class: "field" }, h("label", { for: id }, label), control, hintEl);
}

let scrollBoxes = 0;
/**
 * A wide table in a box of its own that scrolls sideways on a narrow screen
 * (the page never does), keyboard-scrollable, with a visible hint whenever
 * there is more to the side.
 */
export function scrollBox(table: HTMLTableElement, label: string): HTMLElement {
  const id = `scroll-hint-${++scrollBoxes}`;
  const hint = h("p", { id, class: "scroll-hint muted small" }, "Scroll sideways for more columns →");
  const box = h("div", { class: "table-wrap", tabindex: "0", role: "group", "aria-label": label, "aria-describedby": id }, table);
  const update = () => {
    const more = box.scrollWidth > box.clientWidth + 1;
    hint.hidden = !more;
    box.classList.toggle("scrolls", more);
  };
  const observer = new ResizeObserver(update);
  observer.observe(box);
  observer.observe(table);
  return h("div", { class: "table-scroll" }, hint, box);
}

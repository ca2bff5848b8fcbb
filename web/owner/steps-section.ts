// The parcel tracker's step bar: queued → offered → downloading → installing
// → installed, with the steps already done, the current one, and those to come.
import { h } from "../lib/dom";
import type { Translator } from "./i18n";
import type { MessageKey } from "./messages-en";
import type { Track } from "./track-api";

const steps: { state: string; label: MessageKey }[] = [
  { state: "queued", label: "stepQueued" },
  { state: "offered", label: "stepOffered" },
  { state: "downloading", label: "stepDownloading" },
  { state: "installing", label: "stepInstalling" },
  { state: "installed", label: "stepInstalled" },
];

/** Where on the bar the car stands; null for states off the bar (not eligible, up to date, stopped). */
function currentStep(state: Track["state"]): number | null {
  // A failed install stops at "installing": the car retries from there.
  if (state === "failed") return 3;
  const index = steps.findIndex((s) => s.state === state);
  return index === -1 ? null : index;
}

export function renderSteps(track: Track, t: Translator): HTMLElement | null {
  const current = currentStep(track.state);
  if (current === null) return null;
  const finished = track.state === "installed";
  return h(
    "ol",
    { class: "steps", "aria-label": t.t("stepsLabel") },
    ...steps.map((step, i) => {
      const done = i < current || finished;
      const here = i === current && !finished;
      const kind = done ? "step-done" : here ? (track.state === "failed" ? "step-current step-failed" : "step-current") : "step-todo";
      return h(
        "li",
        { class: kind, "aria-current": here || (finished && i === current) ? "step" : null },
        h("span", { class: "step-dot", "aria-hidden": "true" }),
        h("span", { class: "step-name" }, t.t(step.label)),
        h("span", { class: "visually-hidden" }, `, ${t.t(done ? "stepDone" : here ? "stepCurrent" : "stepTodo")}`),
      );
    }),
  );
}

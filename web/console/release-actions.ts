// Start, pause, resume, advance and halt, each confirmed in words that say
// what will happen to how many vehicles, with the public message owners see.
// Which ones are offered is the server's answer (the release's allowedActions),
// never a table of our own, so no button leads to a refusal.
import { englishOf } from "../../src/domain/localized-text";
import { h } from "../lib/dom";
import { confirmAction, type ConfirmOptions, type DialogField } from "./confirm-dialog";
import { languages, localizedText } from "./localized-fields";
import { api, maySteerReleases } from "./session";
import type { Release, ReleaseAction as Action } from "./types";
import { num, toast } from "./ui";

/** The public message owners read, one field per language (English required). */
const messageFields = (hint: string): DialogField[] =>
  languages.map((l) => ({ name: `message.${l.tag}`, label: `Public message for owners (${l.name})`, required: l.tag === "en", multiline: true, hint: l.tag === "en" ? hint : "Optional: owners reading this language see English without it." }));

const messageOf = (values: Record<string, string>) => localizedText(Object.fromEntries(languages.map((l) => [l.tag, values[`message.${l.tag}`]])));

function dialogFor(action: Action, r: Release): Omit<ConfirmOptions, "run"> {
  const notYetOffered = Math.max(0, r.total - r.offeredThrough);
  const active = r.waves.find((w) => w.state === "active");
  const next = r.waves.find((w) => w.state === "pending");
  switch (action) {
    case "start":
      return {
        title: `Start ${r.version}?`,
        body: `This builds the queue of every eligible vehicle and opens ${r.waves[0] ? `wave 1 (${englishOf(r.waves[0].name)}) when it is due` : "the first wave"}. ${r.waves.length} wave(s) planned.`,
        confirmLabel: "Start rollout",
      };
    case "pause":
      return {
        title: `Pause ${r.version}?`,
        body: `The clock stops: no more vehicles are offered until you resume. ${num(notYetOffered)} vehicles are still waiting. Owners see your message on their tracking page.`,
        confirmLabel: "Pause rollout",
        fields: messageFields("For example: Paused while we look into a charging issue."),
      };
    case "resume":
      return {
        title: `Resume ${r.version}?`,
        body: `The clock continues${active ? ` with wave ${active.index} (${englishOf(active.name)})` : ""}; the public pause notice is removed from owners' pages.`,
        confirmLabel: "Resume rollout",
      };
    case "advance":
      return {
        title: next ? `Open wave ${next.index} (${englishOf(next.name)}) now?` : `Complete ${r.version}?`,
        body: next
          ? `Wave ${next.index} opens now instead of waiting for its schedule or auto-advance: ${num(next.size)} more vehicles will be offered the update${next.ratePerHour ? ` at ${num(next.ratePerHour)} per hour` : " at once"}.`
          : "This is the last wave: the release is marked completed.",
        confirmLabel: next ? `Open wave ${next.index}` : "Complete release",
      };
    case "halt":
      return {
        title: `Halt ${r.version} for good?`,
        body: `Every update not yet offered is cancelled (${num(notYetOffered)} vehicles). This cannot be undone; a fixed build needs a new release.`,
        confirmLabel: "Halt release",
        danger: true,
        fields: [
          { name: "reason", label: "Internal reason", required: true, multiline: true, hint: "Kept in the audit log; not shown to owners." },
          ...messageFields("Shown on every affected owner's tracking page."),
        ],
      };
  }
}

export function renderActions(release: Release, changed: (release: Release) => void): HTMLElement | null {
  // Support reads releases; only release managers and admins change their state.
  if (!maySteerReleases()) return null;
  const actions: Action[] = release.allowedActions;
  if (actions.length === 0) {
    const why = release.state === "draft" ? "Plan its waves before the release can start." : `No state change is possible while the release is ${release.state.replace("_", " ")}.`;
    return h("p", { class: "muted" }, why);
  }
  return h(
    "div",
    { class: "actions release-actions", role: "group", "aria-label": "Release actions" },
    ...actions.map((action) => {
      const button = h(
        "button",
        { type: "button", class: action === "halt" ? "danger" : action === "start" || action === "resume" ? "primary" : "secondary", "data-action": action },
        action[0]!.toUpperCase() + action.slice(1),
      );
      button.addEventListener("click", () =>
        confirmAction({
          ...dialogFor(action, release),
          run: async (values) => {
            const body = action === "pause" ? { message: messageOf(values) } : action === "halt" ? { reason: values.reason ?? "", message: messageOf(values) } : undefined;
            const { data } = await api<Release>(`/v1/releases/${encodeURIComponent(release.version)}/${action}`, { method: "POST", body });
            toast(`${release.version}: ${action} done; the release is now ${data.state.replace("_", " ")}.`);
            changed(data);
          },
        }),
      );
      return button;
    }),
  );
}

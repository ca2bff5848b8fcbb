// Support's answer to "when is it my turn?": exactly what the owner sees
// (the API's `status`, the same as /v1/track) and the standard words to say
// it in English, Dutch and German, each with a copy button, so two people
// looking at the same car give the same answer.
import { h } from "../lib/dom";
import { languages } from "./localized-fields";
import type { VehicleDetail } from "./types";
import { badge, num, toast, when } from "./ui";

type Status = VehicleDetail["status"];

function etaOf(s: Status): HTMLElement {
  if (s.eta) return h("span", {}, h("time", { datetime: s.eta.earliest }, when(s.eta.earliest)), " – ", h("time", { datetime: s.eta.latest }, when(s.eta.latest)));
  const why =
    s.notice?.kind === "paused" ? "no estimate while the rollout is paused"
    : s.notice?.kind === "halted" ? "none: the release was halted"
    : s.queue && s.state === "queued" ? "no estimate yet: its wave has no start"
    : "—";
  return h("span", {}, why);
}

export function renderOwnerStatus(d: VehicleDetail): HTMLElement {
  const s = d.status;
  const q = s.queue;
  const rows: [string, HTMLElement | string][] = [
    ["Update", s.release ? `${s.release.version}` : "none offered to this car"],
    ["State", badge(s.state)],
  ];
  if (q) {
    rows.push(["Place in line", `#${num(q.position)} of ${num(q.total)}`]);
    rows.push(["Ahead of it", `${num(q.ahead)} ahead`]);
    rows.push(["Wave", q.wave ? h("span", {}, `Wave ${q.wave.index} · ${q.wave.name} `, badge(q.wave.state)) : "past the last wave"]);
  }
  rows.push(["Expected offer", etaOf(s)]);
  if (s.reason) rows.push(["Why not", s.reason]);
  if (s.notice) rows.push([s.notice.kind === "paused" ? "Paused" : "Halted", h("q", {}, s.notice.message)]);
  return h(
    "section",
    { class: "card owner-status", "aria-labelledby": "owner-status-title" },
    h("h2", { id: "owner-status-title" }, "What the owner sees"),
    h("dl", { class: "facts" }, ...rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
  );
}

async function copyAnswer(text: string, language: string): Promise<void> {
  await navigator.clipboard.writeText(text);
  toast(`${language} answer copied to the clipboard.`);
}

export function renderSupportAnswer(d: VehicleDetail, fail: (error: unknown) => void): HTMLElement {
  return h(
    "section",
    { class: "card answers", "aria-labelledby": "answer-title" },
    h("h2", { id: "answer-title" }, "Standard answer"),
    h("p", { class: "muted" }, "Say this to the owner, in their language; it is generated from what they see."),
    ...languages.map((l) =>
      h(
        "div",
        { class: "answer", role: "group", "aria-labelledby": `answer-${l.tag}` },
        h("h3", { id: `answer-${l.tag}` }, l.name),
        h("p", { class: "answer-text", lang: l.tag }, d.answer[l.tag]),
        h("button", { type: "button", class: "secondary small", onclick: () => void copyAnswer(d.answer[l.tag], l.name).catch(fail) }, `Copy ${l.name} answer`),
      ),
    ),
  );
}

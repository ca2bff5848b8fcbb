// Expiring status links for an owner: create (the link is shown once, with
// a copy button), list, revoke.
import { h, replace } from "../lib/dom";
import { confirmAction } from "./confirm-dialog";
import { api } from "./session";
import type { CreatedShareLink, ShareLinkRequest, VehicleDetail } from "./types";
import { type ErrorBox, errorBox, field, toast, when } from "./ui";

async function copy(text: string, input: HTMLInputElement): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Clipboard API refused (no permission, insecure context): fall back to the selection.
    input.select();
    if (!document.execCommand("copy")) throw new Error("Copying was refused by the browser: select the link and copy it yourself.");
  }
  toast("Link copied to the clipboard.");
}

function linkStatus(l: VehicleDetail["shareLinks"][number]): string {
  if (l.revokedAt) return `revoked ${when(l.revokedAt)}`;
  return Date.parse(l.expiresAt) < Date.now() ? `expired ${when(l.expiresAt)}` : `active until ${when(l.expiresAt)}`;
}

/** The link just created survives the re-render that follows, since it cannot be shown again. */
export type ShareLinkMemory = { created?: CreatedShareLink };

function renderCreated(data: CreatedShareLink, error: ErrorBox): HTMLElement {
  const url = new URL(data.url, window.location.origin).href;
  const input = h("input", { readonly: true, value: url, "aria-label": "Share link", class: "link-output" });
  const copyButton = h("button", { type: "button", class: "secondary" }, "Copy link");
  copyButton.addEventListener("click", () => copy(url, input).catch((e: unknown) => error.show(e)));
  return h(
    "div",
    { class: "created-link" },
    h("p", {}, `Link #${data.id} created, valid until ${when(data.expiresAt)}. It is shown only now: copy it and send it to the owner.`),
    h("div", { class: "copy-row" }, input, copyButton, h("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, "Open")),
  );
}

/** `mayWrite`: create and revoke (support, admin); others only read the list. */
export function renderShareLinks(d: VehicleDetail, reload: () => void, memory: ShareLinkMemory, mayWrite: boolean): HTMLElement {
  const vin = d.vehicle.vin;
  const error = errorBox();
  const created = h("div", { "aria-live": "polite" }, memory.created && renderCreated(memory.created, error));
  const hours = h("select", { name: "expiresInHours" }, ...[[24, "1 day"], [72, "3 days"], [168, "7 days"], [720, "30 days"]].map(([v, label]) => h("option", { value: String(v) }, String(label))));
  hours.value = "72";
  const form = h("form", { class: "inline-form" }, field("Expires in", hours), h("button", { type: "submit", class: "primary" }, "Create share link"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.clear();
    try {
      const { data } = await api<CreatedShareLink>(`/v1/vehicles/${vin}/share-links`, { method: "POST", body: { expiresInHours: Number(hours.value) } satisfies ShareLinkRequest });
      memory.created = data;
      replace(created, renderCreated(data, error));
      reload();
    } catch (e) {
      error.show(e);
    }
  });

  const revoke = (id: number) =>
    confirmAction({
      title: `Revoke share link #${id}?`,
      body: "Whoever has this link can no longer see the vehicle's status. This cannot be undone.",
      confirmLabel: "Revoke link",
      danger: true,
      run: async () => {
        await api(`/v1/vehicles/${vin}/share-links/${id}`, { method: "DELETE" });
        toast(`Share link #${id} revoked.`);
        reload();
      },
    });

  const rows = d.shareLinks.map((l) =>
    h(
      "li",
      {},
      `#${l.id}, created ${when(l.createdAt)}: ${linkStatus(l)} `,
      mayWrite && !l.revokedAt && Date.parse(l.expiresAt) > Date.now() && h("button", { type: "button", class: "secondary small", onclick: () => void revoke(l.id) }, `Revoke #${l.id}`),
    ),
  );
  return h(
    "section",
    { class: "card", "aria-labelledby": "links-title" },
    h("h2", { id: "links-title" }, "Share links"),
    h("p", { class: "muted" }, "An expiring link to the owner's status page. A VIN alone never shows it."),
    mayWrite && form,
    error,
    created,
    rows.length ? h("ul", { class: "plain-list" }, ...rows) : h("p", { class: "muted" }, "No share links yet."),
  );
}

// Confirmation for consequential actions (start, pause, halt…): a modal
// <dialog> that states what will happen, asks for the text the action needs,
// runs it, and shows the API's refusal in words without closing.
import { h } from "../lib/dom";
import { errorBox, field } from "./ui";

export type DialogField = { name: string; label: string; hint?: string; required?: boolean; multiline?: boolean; value?: string };

export type ConfirmOptions = {
  title: string;
  body: string;
  confirmLabel: string;
  danger?: boolean;
  fields?: DialogField[];
  run: (values: Record<string, string>) => Promise<void>;
};

/** Resolves true when the action ran, false when cancelled. */
export function confirmAction({ title, body, confirmLabel, danger, fields = [], run }: ConfirmOptions): Promise<boolean> {
  const error = errorBox();
  const controls = fields.map((f) => {
    const control = f.multiline ? h("textarea", { name: f.name, rows: 3 }) : h("input", { name: f.name });
    control.value = f.value ?? "";
    if (f.required) control.required = true;
    return field(f.label, control, f.hint);
  });
  const confirm = h("button", { type: "submit", class: danger ? "danger" : "primary" }, confirmLabel);
  const cancel = h("button", { type: "button", class: "secondary" }, "Cancel");
  const form = h("form", { method: "dialog", class: "dialog-form" }, h("h2", { id: "dialog-title" }, title), h("p", {}, body), ...controls, error, h("div", { class: "actions" }, cancel, confirm));
  const dialog = h("dialog", { "aria-labelledby": "dialog-title" }, form);
  document.body.append(dialog);

  return new Promise((resolve) => {
    const close = (ran: boolean) => {
      dialog.close();
      dialog.remove();
      resolve(ran);
    };
    cancel.addEventListener("click", () => close(false));
    dialog.addEventListener("cancel", () => close(false));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!form.reportValidity()) return;
      const values = Object.fromEntries(fields.map((f) => [f.name, (form.elements.namedItem(f.name) as HTMLInputElement).value.trim()]));
      confirm.disabled = true;
      error.clear();
      try {
        await run(values);
        close(true);
      } catch (e) {
        error.show(e);
        confirm.disabled = false;
      }
    });
    dialog.showModal();
    (form.querySelector<HTMLElement>("input, textarea") ?? cancel).focus();
  });
}

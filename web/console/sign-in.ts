// The console's front door: paste an API key (release_manager, support or admin).
import { ApiProblem } from "../lib/api";
import { fieldValue, h } from "../lib/dom";
import { signIn } from "./session";
import { errorBox, field } from "./ui";

export function renderSignIn(message: string, signedIn: () => void): HTMLElement {
  const error = errorBox();
  if (message) error.show(new Error(`You were signed out: ${message}`));
  const key = h("input", { name: "key", type: "password", autocomplete: "current-password", required: true, spellcheck: "false" });
  const submit = h("button", { type: "submit", class: "primary" }, "Sign in");
  const form = h(
    "form",
    { class: "card sign-in", "aria-labelledby": "sign-in-title" },
    h("h1", { id: "sign-in-title" }, "Sign in to the rollout console"),
    h("p", {}, "Use an API key with the release_manager or support role. It is kept only in this browser tab and sent only as an Authorization header."),
    field("API key", key),
    error,
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = fieldValue(form, "key");
    if (!value) return void key.focus();
    submit.disabled = true;
    error.clear();
    try {
      await signIn(value);
      signedIn();
    } catch (e) {
      error.show(e instanceof ApiProblem && e.status === 403 ? new Error(`This key cannot use the console: ${e.describe()}`) : e);
      key.select();
    } finally {
      submit.disabled = false;
    }
  });
  queueMicrotask(() => key.focus());
  return form;
}

// What a section says to a role that may not use it (an old bookmark, a
// pasted link): a heading and a way on, never the API's 403.
import { h, replace } from "../lib/dom";
import { currentRole, roleNames } from "./session";

export function renderNotForRole(main: HTMLElement, section: string, whoMay: string): void {
  replace(
    main,
    h("h1", {}, "Not for your role"),
    h(
      "div",
      { class: "card" },
      h("p", {}, `The ${section} is for ${whoMay}. You are signed in as ${roleNames[currentRole()].toLowerCase()}.`),
      h("p", {}, h("a", { href: "#/releases" }, "Go to the releases"), " or ", h("a", { href: "#/vehicles" }, "look up a vehicle"), "."),
    ),
  );
}

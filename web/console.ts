// The console (`/console`): entry point of assets/console.js.
import { renderAudit } from "./console/audit-view";
import { renderReleaseDetail } from "./console/release-detail";
import { renderReleases } from "./console/releases-list";
import { startRouter } from "./console/router";
import { renderNotForRole } from "./console/not-for-role";
import { currentKey, currentRole, mayReadAudit, roleNames, signOut, whenSignedOut } from "./console/session";
import { renderSignIn } from "./console/sign-in";
import { renderVehicleLookup } from "./console/vehicle-lookup";
import { byId, h, replace } from "./lib/dom";
import { registerServiceWorker } from "./lib/service-worker";

const main = byId("main");
const nav = byId("nav");
const account = byId("account");
let stopRouter: (() => void) | null = null;

const everyone = () => true;
const sections = [
  { id: "releases", label: "Releases", may: everyone },
  { id: "vehicles", label: "Vehicle lookup", may: everyone },
  { id: "audit", label: "Audit log", may: mayReadAudit },
];

function showSignIn(message = ""): void {
  stopRouter?.();
  stopRouter = null;
  nav.replaceChildren();
  account.replaceChildren();
  main.replaceChildren(renderSignIn(message, showConsole));
}

function showConsole(): void {
  const visible = sections.filter((s) => s.may());
  replace(nav, h("ul", {}, ...visible.map((s) => h("li", {}, h("a", { href: `#/${s.id}`, "data-section": s.id }, s.label)))));
  replace(
    account,
    h("span", { class: "role" }, roleNames[currentRole()]),
    h("button", { type: "button", class: "secondary small", onclick: () => signOut() }, "Sign out"),
  );
  stopRouter = startRouter(
    main,
    {
      releases: (el, version) => (version ? renderReleaseDetail(el, version) : renderReleases(el)),
      vehicles: renderVehicleLookup,
      // A role without the audit log gets a word, not the API's 403.
      audit: (el) => (mayReadAudit() ? renderAudit(el) : renderNotForRole(el, "audit log", "release managers and admins")),
    },
    "releases",
    (section) => {
      for (const link of nav.querySelectorAll("a")) {
        if (link.dataset.section === section) link.setAttribute("aria-current", "page");
        else link.removeAttribute("aria-current");
      }
    },
  );
}

whenSignedOut(showSignIn);
if (currentKey()) showConsole();
else showSignIn();
// Offline, a fresh load shows our offline page instead of the browser's error page.
registerServiceWorker();

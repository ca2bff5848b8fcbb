// Hash routes (#/releases/2026.44.1, #/vehicles/VIN, #/audit): the console is
// one static page, and nothing secret ever goes into the address.

export type View = (main: HTMLElement, param: string | null) => (() => void) | void;
export type Routes = Record<string, View>;

export function parseHash(hash: string): { section: string; param: string | null } {
  const [, section = "", ...rest] = hash.replace(/^#/, "").split("/");
  return { section, param: rest.length ? decodeURIComponent(rest.join("/")) : null };
}

export function go(section: string, param?: string): void {
  window.location.hash = param ? `#/${section}/${encodeURIComponent(param)}` : `#/${section}`;
}

/** Shows the view for the current hash; the previous view's cleanup (pollers, charts) runs first. */
export function startRouter(main: HTMLElement, routes: Routes, fallback: string, onChange: (section: string) => void): () => void {
  let cleanup: (() => void) | void;
  const show = () => {
    const { section, param } = parseHash(window.location.hash);
    const view = routes[section];
    if (!view) return go(fallback);
    cleanup?.();
    main.replaceChildren();
    onChange(section);
    cleanup = view(main, param);
  };
  window.addEventListener("hashchange", show);
  show();
  return () => {
    window.removeEventListener("hashchange", show);
    cleanup?.();
  };
}

// An audit entry's before and after as a list of changed fields, so a
// person reads "waves › 2 › share: 25 → 40" instead of two JSON dumps.
// The deep comparison is microdiff's; here only the shape for reading.
import diff from "microdiff";

type Path = (string | number)[];
/** One changed field; `undefined` on a side means the field was not there. */
export type FieldChange = { path: Path; before: unknown; after: unknown };
type Tree = Record<string, unknown> | unknown[];

const isTree = (value: unknown): value is Tree => typeof value === "object" && value !== null;

/** Every leaf of a value with its path; an empty object or list is a leaf of its own. */
function leaves(value: unknown, path: Path = []): [Path, unknown][] {
  if (!isTree(value)) return [[path, value]];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.length ? entries.flatMap(([key, v]) => leaves(v, [...path, key])) : [[path, value]];
}

const removed = (value: unknown, path: Path): FieldChange[] => leaves(value, path).map(([p, v]) => ({ path: p, before: v, after: undefined }));
const created = (value: unknown, path: Path): FieldChange[] => leaves(value, path).map(([p, v]) => ({ path: p, before: undefined, after: v }));

export function fieldChanges(before: unknown, after: unknown): FieldChange[] {
  if (isTree(before) && isTree(after)) {
    return diff(before, after).flatMap((d): FieldChange[] => {
      // microdiff types values as any; they are JSON from the API.
      const [oldValue, value] = [d.type === "CREATE" ? undefined : (d.oldValue as unknown), d.type === "REMOVE" ? undefined : (d.value as unknown)];
      if (d.type === "CHANGE" && !isTree(oldValue) && !isTree(value)) return [{ path: d.path, before: oldValue, after: value }];
      // A text that became a per-language object (or back) reads best as what went and what came.
      return [...(d.type === "CREATE" ? [] : removed(oldValue, d.path)), ...(d.type === "REMOVE" ? [] : created(value, d.path))];
    });
  }
  if (before === after) return [];
  return [...(before == null ? [] : removed(before, [])), ...(after == null ? [] : created(after, []))];
}

/** "waves › 2 › share": list items count from 1, as waves and positions do. */
export const fieldName = (path: Path) => (path.length ? path.map((p) => (typeof p === "number" ? String(p + 1) : p)).join(" › ") : "value");

export function valueText(value: unknown): string {
  if (value === undefined) return "—";
  if (value === null) return "none";
  if (Array.isArray(value)) return value.length ? value.map(valueText).join(", ") : "(empty)";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  // Only an empty object is left as a leaf (see leaves).
  return "(empty)";
}

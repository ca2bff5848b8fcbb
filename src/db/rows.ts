/**
 * The one row a statement must return (an insert's `returning`, a row locked
 * just before): none is a bug, not something a caller could cause.
 */
export function theRow<T>(rows: readonly T[]): T {
  const [row] = rows;
  if (row === undefined) throw new Error("expected a row, the statement returned none");
  return row;
}

/** The rows of `db.execute`: postgres.js returns them as the result, PGlite wraps them in `{ rows }`. */
export function rowsOf<T = Record<string, unknown>>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return (result as { rows: T[] }).rows;
}

/** How many rows a write changed: postgres.js puts it on the result as `count`, PGlite as `affectedRows`. */
export function affectedRowsOf(result: unknown): number {
  const { count, affectedRows } = result as { count?: number; affectedRows?: number };
  const n = count ?? affectedRows;
  if (n === undefined) throw new Error("the driver reported no row count for a write");
  return Number(n);
}

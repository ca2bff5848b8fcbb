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

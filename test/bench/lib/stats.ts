// Small arithmetic for the table: medians of interleaved runs.

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** ceiling, figure, ceiling, figure, …: drift of the machine hits both sides alike. */
export async function interleaved<T>(rounds: number, ceiling: () => Promise<T>, figure: () => Promise<T>) {
  const pairs: { ceiling: T; figure: T }[] = [];
  for (let i = 0; i < rounds; i++) pairs.push({ ceiling: await ceiling(), figure: await figure() });
  return pairs;
}

export const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString("en", { minimumFractionDigits: digits, maximumFractionDigits: digits }) : "—";

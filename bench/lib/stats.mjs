// Order statistics for the benchmark: nearest-rank percentiles and medians over plain number arrays.

/** The p-th percentile (0..100) by nearest rank; NaN for an empty list. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export const median = (values) => percentile(values, 50);

/** a / b, or NaN when either is missing. */
export const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : NaN);

/** A number for a Markdown table: fixed decimals, or "n/a". */
export function fmt(v, digits = 1) {
  if (v === Infinity) return 'timed out';
  return Number.isFinite(v) ? v.toFixed(digits) : 'n/a';
}

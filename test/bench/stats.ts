export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function formatRow(name: string, values: number[], unit: string, goal?: number): string {
  const m = median(values);
  const verdict = goal === undefined ? '' : m <= goal ? `  (goal ≤ ${goal}: met)` : `  (goal ≤ ${goal}: MISSED)`;
  const spread =
    values.length > 1 ? ` [min ${Math.round(Math.min(...values))}, max ${Math.round(Math.max(...values))}, n=${values.length}]` : '';
  return `${name.padEnd(58)} ${String(Math.round(m)).padStart(7)} ${unit}${spread}${verdict}`;
}

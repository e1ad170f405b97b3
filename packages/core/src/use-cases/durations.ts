/** Tenths of a second, as the actions report their durations. */
export function secondsBetween(from: number, to: number): number {
  return Math.round((to - from) / 100) / 10;
}

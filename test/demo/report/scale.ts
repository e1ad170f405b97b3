/** Linear scales and round axis steps for the chart. */

export type Scale = (value: number) => number;

export function linearScale([d0, d1]: [number, number], [r0, r1]: [number, number]): Scale {
  const span = d1 - d0 || 1;
  return (value) => r0 + ((value - d0) / span) * (r1 - r0);
}

/** The smallest 1, 2 or 5 times a power of ten that is at least `value` (a round axis maximum or step). */
export function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((factor) => factor * power).find((nice) => nice >= value - 1e-9) ?? 10 * power;
}

/** Round ticks from `min` to `max` inclusive, at most about `count` of them. */
export function ticks(min: number, max: number, count: number): number[] {
  const step = niceCeiling((max - min) / count);
  const first = Math.ceil(min / step - 1e-9) * step;
  return Array.from({ length: Math.max(0, Math.floor((max - first) / step + 1e-9) + 1) }, (_, i) => first + i * step);
}

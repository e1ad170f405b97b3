import type { Clock } from '../../src/common/poll';

/** A clock that moves only when slept on (or advanced by hand), so no test waits for real. */
export function fakeClock(start = Date.UTC(2026, 0, 1)): Clock & { slept: number[]; advance(ms: number): void } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

import { describe, expect, test } from '@jest/globals';
import { poll } from '../src/common/poll';
import { fakeClock } from './support/fake-clock';

const START = Date.UTC(2026, 0, 1);

describe('poll', () => {
  test('returns the value of the first check that answers, without sleeping after it', async () => {
    const clock = fakeClock();
    const seen: number[] = [];
    const result = await poll({
      intervalMs: 1_000,
      timeoutMs: 60_000,
      jitter: 0,
      clock,
      check: async (attempt) => {
        seen.push(attempt);
        return attempt === 3 ? 'steady' : undefined;
      },
    });
    expect(result).toEqual({ done: true, value: 'steady', attempts: 3 });
    expect(seen).toEqual([1, 2, 3]);
    expect(clock.slept).toEqual([1_000, 1_000]);
  });

  test('an interval given as a function is asked, before each sleep, with the time since the first check', async () => {
    const clock = fakeClock();
    const asked: number[] = [];
    await poll({
      intervalMs: (elapsedMs) => {
        asked.push(elapsedMs);
        return elapsedMs < 2_000 ? 1_000 : 5_000;
      },
      timeoutMs: 60_000,
      jitter: 0,
      clock,
      check: async (attempt) => (attempt === 5 ? 'done' : undefined),
    });
    expect(asked).toEqual([0, 1_000, 2_000, 7_000]);
    expect(clock.slept).toEqual([1_000, 1_000, 5_000, 5_000]);
  });

  test('an answer on the first check means no sleep at all', async () => {
    const clock = fakeClock();
    const result = await poll({ intervalMs: 1_000, timeoutMs: 10_000, clock, check: async () => 0 });
    // 0 is an answer: only undefined means "poll again".
    expect(result).toEqual({ done: true, value: 0, attempts: 1 });
    expect(clock.slept).toEqual([]);
  });

  test('stops at the deadline with done:false, never sleeping past it, and checks once more at the deadline', async () => {
    const clock = fakeClock();
    const checkedAt: number[] = [];
    const result = await poll({
      intervalMs: 3_000,
      timeoutMs: 10_000,
      jitter: 0,
      clock,
      check: async () => {
        checkedAt.push(clock.now() - START);
        return undefined;
      },
    });
    expect(result).toEqual({ done: false, attempts: 5 });
    expect(checkedAt).toEqual([0, 3_000, 6_000, 9_000, 10_000]);
    expect(clock.slept).toEqual([3_000, 3_000, 3_000, 1_000]);
    expect(clock.now() - START).toBe(10_000);
  });

  test('a value found by the final check at the deadline counts', async () => {
    const clock = fakeClock();
    const result = await poll({
      intervalMs: 4_000,
      timeoutMs: 10_000,
      jitter: 0,
      clock,
      check: async () => (clock.now() - START >= 10_000 ? 'just in time' : undefined),
    });
    expect(result).toEqual({ done: true, value: 'just in time', attempts: 4 });
  });

  test('checks that take time count against the deadline', async () => {
    const clock = fakeClock();
    const result = await poll({
      intervalMs: 1_000,
      timeoutMs: 5_000,
      jitter: 0,
      clock,
      check: async () => {
        clock.advance(2_000);
        return undefined;
      },
    });
    // 0-2s check, sleep 1s, 3-5s check: at the deadline, so no more.
    expect(result).toEqual({ done: false, attempts: 2 });
    expect(clock.slept).toEqual([1_000]);
  });

  test('a zero timeout checks exactly once', async () => {
    const clock = fakeClock();
    const result = await poll({ intervalMs: 1_000, timeoutMs: 0, clock, check: async () => undefined });
    expect(result).toEqual({ done: false, attempts: 1 });
    expect(clock.slept).toEqual([]);
  });

  test.each([
    [0, 800],
    [0.25, 900],
    [0.5, 1_000],
    [0.75, 1_100],
    [0.999_999, 1_200],
  ])('jitter 0.2 with random() = %d sleeps %d ms', async (random, expected) => {
    const clock = fakeClock();
    let calls = 0;
    await poll({
      intervalMs: 1_000,
      timeoutMs: 60_000,
      jitter: 0.2,
      clock,
      random: () => random,
      check: async () => (++calls === 2 ? true : undefined),
    });
    expect(clock.slept).toEqual([expected]);
  });

  test('jitter stays within ±jitter×interval over many polls', async () => {
    const clock = fakeClock();
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    await poll({ intervalMs: 2_000, timeoutMs: 2_000_000, jitter: 0.3, clock, random, check: async () => undefined });
    const beforeLast = clock.slept.slice(0, -1);
    expect(beforeLast.length).toBeGreaterThan(500);
    for (const ms of beforeLast) {
      expect(ms).toBeGreaterThanOrEqual(1_400);
      expect(ms).toBeLessThanOrEqual(2_600);
    }
    // The jitter really varies the sleeps.
    expect(new Set(beforeLast).size).toBeGreaterThan(100);
    expect(clock.now() - START).toBe(2_000_000);
  });

  test('the default jitter varies the interval by at most 20%', async () => {
    const clock = fakeClock();
    const values = [0, 1];
    let calls = 0;
    await poll({
      intervalMs: 1_000,
      timeoutMs: 60_000,
      clock,
      random: () => values.shift() ?? 0.5,
      check: async () => (++calls === 3 ? true : undefined),
    });
    expect(clock.slept).toEqual([800, 1_200]);
  });

  test('a failing check rejects the poll', async () => {
    const clock = fakeClock();
    await expect(
      poll({
        intervalMs: 1_000,
        timeoutMs: 10_000,
        clock,
        check: async () => {
          throw new Error('DescribeServices failed');
        },
      }),
    ).rejects.toThrow('DescribeServices failed');
  });

  test('takes no real time', async () => {
    const started = Date.now();
    await poll({ intervalMs: 60_000, timeoutMs: 3_600_000, clock: fakeClock(), check: async () => undefined });
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

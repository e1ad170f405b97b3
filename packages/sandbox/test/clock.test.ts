import { describe, expect, test } from '@jest/globals';
import { ManualClock } from '../src/clock';

describe('ManualClock', () => {
  test('runs the timers that fall due in time order, each at its own moment, and leaves the later ones', async () => {
    const clock = new ManualClock(1, 0);
    const ran: Array<[string, number]> = [];
    clock.after(300, () => ran.push(['c', clock.now()]));
    clock.after(100, () => ran.push(['a', clock.now()]));
    clock.after(100, () => ran.push(['b', clock.now()]));
    clock.after(1000, () => ran.push(['late', clock.now()]));

    await clock.advance(500);

    expect(ran).toEqual([
      ['a', 100],
      ['b', 100],
      ['c', 300],
    ]);
    expect(clock.now()).toBe(500);
  });

  test('lets what a timer started settle before the next one, and runs timers that timers set', async () => {
    const clock = new ManualClock(1, 0);
    const ran: string[] = [];
    clock.after(100, () => {
      void Promise.resolve().then(() => ran.push('continuation of the first'));
      clock.after(50, () => ran.push('set by the first, at 150'));
    });
    clock.after(120, () => ran.push('second, at 120'));

    await clock.advance(200);

    expect(ran).toEqual(['continuation of the first', 'second, at 120', 'set by the first, at 150']);
  });

  test('scales ECS intervals and repeats every() until cancelled', async () => {
    const clock = new ManualClock(0.5, 0);
    const at: number[] = [];
    const cancel = clock.every(100, () => at.push(clock.now()));
    await clock.advance(200);
    cancel();
    await clock.advance(200);
    expect(at).toEqual([50, 100, 150, 200]);
  });

  test('refuses a second advance while one runs', async () => {
    const clock = new ManualClock(1, 0);
    const first = clock.advance(100);
    await expect(clock.advance(100)).rejects.toThrow('advance() is already running');
    await first;
  });
});

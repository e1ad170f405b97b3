import { describe, expect, test } from '@jest/globals';
import { unlessCancelled, WorkflowCancelled } from '../src/common/cancellation';
import { poll, type Clock } from '../src/common/poll';

/** A clock whose sleeps never end by themselves: only the signal can end one. */
const stuckClock = (): Clock & { sleeps: number } => {
  const clock = { sleeps: 0, now: () => 0, sleep: () => ((clock.sleeps += 1), new Promise<void>(() => {})) };
  return clock;
};

describe('poll with a cancellation signal', () => {
  test('an abort during the sleep ends the loop at once with WorkflowCancelled, without another check', async () => {
    const controller = new AbortController();
    const clock = stuckClock();
    let checks = 0;
    const polling = poll({
      intervalMs: 60_000,
      timeoutMs: 600_000,
      clock,
      signal: controller.signal,
      check: async () => void (checks += 1),
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(clock.sleeps).toBe(1);

    controller.abort();

    await expect(polling).rejects.toBeInstanceOf(WorkflowCancelled);
    expect(checks).toBe(1);
  });

  test('an abort before the first check makes no check at all', async () => {
    const controller = new AbortController();
    controller.abort();
    let checks = 0;
    const polling = poll({
      intervalMs: 1000,
      timeoutMs: 10_000,
      clock: stuckClock(),
      signal: controller.signal,
      check: async () => void (checks += 1),
    });

    await expect(polling).rejects.toBeInstanceOf(WorkflowCancelled);
    expect(checks).toBe(0);
  });
});

describe('unlessCancelled', () => {
  test('rejects with WorkflowCancelled as soon as the signal aborts, without waiting for the work', async () => {
    const controller = new AbortController();
    const waiting = unlessCancelled(new Promise<string>(() => {}), controller.signal);

    controller.abort();

    await expect(waiting).rejects.toBeInstanceOf(WorkflowCancelled);
  });

  test('gives the work its result when no cancellation comes', async () => {
    await expect(unlessCancelled(Promise.resolve('built'), new AbortController().signal)).resolves.toBe('built');
  });
});

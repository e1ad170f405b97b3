import { describe, expect, test } from '@jest/globals';
import { AccessDeniedException, ServerException } from '@aws-sdk/client-ecs';
import { isTransientAwsError, retryTransient } from '../src/common/retry';
import { silentLogger } from '../src/common/logger';
import { fakeClock } from './support/fake-clock';

const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });

describe('isTransientAwsError', () => {
  test.each([
    ['throttling', throttled(), true],
    ['a 5xx answer', new ServerException({ message: 'Service Unavailable', $metadata: { httpStatusCode: 503 } }), true],
    ['a request that timed out', Object.assign(new Error('timed out'), { name: 'TimeoutError' }), true],
    ['a connection reset, as Node reports it (code, not name)', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), true],
    ['a refusal', new AccessDeniedException({ message: 'not authorized', $metadata: { httpStatusCode: 400 } }), false],
    ['a plain error', new Error('boom'), false],
  ])('%s', (_name, error, transient) => {
    expect(isTransientAwsError(error)).toBe(transient);
  });
});

describe('retryTransient', () => {
  test('retries a transient failure with growing, jittered waits, each said in the log, up to the bound', async () => {
    const clock = fakeClock();
    const log = silentLogger();
    let calls = 0;
    const failing = () => {
      calls += 1;
      return Promise.reject(throttled());
    };
    await expect(
      retryTransient(failing, { attempts: 3, baseDelayMs: 1_000, label: 'Stop', log, clock, random: () => 0.5 }),
    ).rejects.toThrow('Rate exceeded');
    expect(calls).toBe(3);
    expect(clock.slept).toEqual([1_000, 2_000]);
    expect(log.lines).toEqual([
      'Stop failed (ThrottlingException: Rate exceeded); attempt 2 of 3 in 1.0s.',
      'Stop failed (ThrottlingException: Rate exceeded); attempt 3 of 3 in 2.0s.',
    ]);
  });

  test('does not retry what is not transient', async () => {
    const clock = fakeClock();
    let calls = 0;
    const refused = () => {
      calls += 1;
      return Promise.reject(new AccessDeniedException({ message: 'not authorized', $metadata: {} }));
    };
    await expect(retryTransient(refused, { attempts: 4, baseDelayMs: 1_000, label: 'Stop', log: silentLogger(), clock })).rejects.toThrow(
      'not authorized',
    );
    expect(calls).toBe(1);
    expect(clock.slept).toEqual([]);
  });
});

describe('retryTransient after a cancellation', () => {
  test('makes no further attempt once the workflow is cancelled during the wait', async () => {
    const controller = new AbortController();
    let calls = 0;
    const clock = { now: () => 0, sleep: async () => controller.abort() };
    const run = retryTransient(
      async () => {
        calls++;
        throw throttled();
      },
      { attempts: 4, baseDelayMs: 1000, label: 'UpdateService of web', log: silentLogger(), clock, signal: controller.signal },
    );
    await expect(run).rejects.toThrow('The workflow was cancelled.');
    expect(calls).toBe(1);
  });

  test('does not retry at all when the signal was already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    let calls = 0;
    const run = retryTransient(
      async () => {
        calls++;
        throw throttled();
      },
      { attempts: 4, baseDelayMs: 1000, label: 'RunTask', log: silentLogger(), signal: controller.signal },
    );
    await expect(run).rejects.toThrow('Rate exceeded');
    expect(calls).toBe(1);
  });
});

import { beforeEach, describe, expect, test } from '@jest/globals';
import { DescribeServicesCommand, ECSClient, ListTasksCommand, type DescribeServicesCommandInput, type Service } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { silentLogger } from '../src/common/logger';
import { watchRollout, type WatchRequest } from '../src/ecs/watch';
import { SharedWatchLoop } from '../src/ecs/shared-watch-loop';
import { fakeClock } from './support/fake-clock';
import { deployment, NEW_ID, OLD, OLD_ID, service } from './fixtures/ecs';

const ecsMock = mockClient(ECSClient);
const ecs = () => new ECSClient({ region: 'us-east-1' });

const request = (name: string): WatchRequest => ({
  cluster: 'prod',
  service: name,
  startedAt: Date.UTC(2026, 0, 1) - 500,
  timeoutMs: 60_000,
  target: { deploymentId: NEW_ID, circuitBreaker: { enable: false, rollback: false }, failedTasksThreshold: 3 },
});

const oldActive = deployment({ id: OLD_ID, status: 'ACTIVE', taskDefinition: OLD, runningCount: 2, rolloutState: 'COMPLETED' });
const rolling = (name: string) => service([deployment({ runningCount: 1 }), oldActive], { serviceName: name });
const completed = (name: string) => service([deployment({ runningCount: 2, rolloutState: 'COMPLETED' })], { serviceName: name });
const failed = (name: string) =>
  service(
    [deployment({ rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' }), oldActive],
    {
      serviceName: name,
    },
  );

/** Each service answers the states given for it, one a DescribeServices call that names it, the last repeating. */
function answers(states: Record<string, Array<(name: string) => Service>>): DescribeServicesCommandInput[] {
  const seen = new Map<string, number>();
  const inputs: DescribeServicesCommandInput[] = [];
  ecsMock.on(DescribeServicesCommand).callsFake((input: DescribeServicesCommandInput) => {
    inputs.push(input);
    return {
      services: (input.services ?? []).map((name) => {
        const count = seen.get(name) ?? 0;
        seen.set(name, count + 1);
        const list = states[name];
        return list[Math.min(count, list.length - 1)](name);
      }),
    };
  });
  return inputs;
}

const names = (n: number) => Array.from({ length: n }, (_, i) => `svc-${i + 1}`);

describe('SharedWatchLoop', () => {
  beforeEach(() => {
    ecsMock.reset();
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
  });

  test('a round describes 25 services in 3 DescribeServices calls of at most 10', async () => {
    const all = names(25);
    const inputs = answers(Object.fromEntries(all.map((name) => [name, [rolling, rolling, completed]])));
    const clock = fakeClock();
    const loop = new SharedWatchLoop({ ecs: ecs(), clock, random: () => 0.5 });

    const outcomes = await Promise.all(all.map((name) => watchRollout(request(name), { ecs: ecs(), log: silentLogger(), clock, loop })));

    expect(outcomes.map((o) => o.status)).toEqual(all.map(() => 'succeeded'));
    expect(loop.rounds).toBe(3);
    expect(inputs).toHaveLength(9);
    expect(inputs.map((input) => input.services?.length)).toEqual([10, 10, 5, 10, 10, 5, 10, 10, 5]);
  });

  test('a service that fails leaves the loop with its verdict; the others go on to theirs', async () => {
    const inputs = answers({ web: [rolling, completed], worker: [rolling, failed], scheduler: [rolling, rolling, rolling, completed] });
    const clock = fakeClock();
    const loop = new SharedWatchLoop({ ecs: ecs(), clock, random: () => 0.5 });

    const outcomes = await Promise.all(
      ['web', 'worker', 'scheduler'].map((name) => watchRollout(request(name), { ecs: ecs(), log: silentLogger(), clock, loop })),
    );

    expect(outcomes.map((o) => o.status)).toEqual(['succeeded', 'failed', 'succeeded']);
    expect(inputs.map((input) => input.services)).toEqual([
      ['web', 'worker', 'scheduler'],
      ['web', 'worker', 'scheduler'],
      ['scheduler'],
      ['scheduler'],
    ]);
  });

  test('a throttled DescribeServices skips the round of its services only, and they are read again', async () => {
    const all = names(12);
    const states = Object.fromEntries(all.map((name) => [name, [rolling, completed]]));
    let calls = 0;
    ecsMock.on(DescribeServicesCommand).callsFake((input: DescribeServicesCommandInput) => {
      calls += 1;
      // The first call (services 1-10) is throttled; the second (11, 12) answers.
      if (calls === 1) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
      return { services: (input.services ?? []).map((name) => states[name][calls === 2 ? 0 : 1](name)) };
    });
    const clock = fakeClock();
    const loop = new SharedWatchLoop({ ecs: ecs(), clock, random: () => 0.5 });

    const outcomes = await Promise.all(all.map((name) => watchRollout(request(name), { ecs: ecs(), log: silentLogger(), clock, loop })));

    expect(outcomes.map((o) => o.status)).toEqual(all.map(() => 'succeeded'));
    expect(outcomes.slice(0, 10).map((o) => o.skippedPolls)).toEqual(all.slice(0, 10).map(() => 1));
    expect(outcomes[10].skippedPolls).toBeUndefined();
    // After a skipped round the loop retries sooner than its interval (SkippedReads' quick retry).
    expect(clock.slept[0]).toBeLessThan(1000);
  });

  test('each service keeps its own timeout', async () => {
    answers({ fast: [rolling, completed], stuck: [rolling] });
    const clock = fakeClock();
    const loop = new SharedWatchLoop({ ecs: ecs(), clock, random: () => 0.5 });

    const [fast, stuck] = await Promise.all([
      watchRollout(request('fast'), { ecs: ecs(), log: silentLogger(), clock, loop }),
      watchRollout({ ...request('stuck'), timeoutMs: 5000 }, { ecs: ecs(), log: silentLogger(), clock, loop }),
    ]);

    expect(fast.status).toBe('succeeded');
    expect(stuck.status).toBe('timed-out');
    expect(stuck.finishedAt - Date.UTC(2026, 0, 1)).toBeGreaterThanOrEqual(5000);
  });
});

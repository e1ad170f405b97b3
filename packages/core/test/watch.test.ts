import { beforeEach, describe, expect, test } from '@jest/globals';
import { DescribeServicesCommand, DescribeTasksCommand, ECSClient, ListTasksCommand, type Service } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { silentLogger } from '../src/logger';
import { fakeClock } from './support/fake-clock';
import { watchRollout, type WatchRequest } from '../src/ecs/watch';
import { crashedTask, deployment, NEW_ID, OLD, OLD_ID, ROLLBACK_ID, service } from './fixtures/ecs';

const ecsMock = mockClient(ECSClient);

function answers(...services: Service[]) {
  let call = ecsMock.on(DescribeServicesCommand);
  for (const svc of services) call = call.resolvesOnce({ services: [svc] });
  call.resolves({ services: [services[services.length - 1]] });
}

const request = (overrides: Partial<WatchRequest> = {}): WatchRequest => ({
  cluster: 'prod',
  service: 'web',
  startedAt: Date.UTC(2026, 0, 1) - 500,
  timeoutMs: 60_000,
  target: { deploymentId: NEW_ID, circuitBreaker: { enable: false, rollback: false }, failedTasksThreshold: 3 },
  ...overrides,
});

const oldActive = deployment({ id: OLD_ID, status: 'ACTIVE', taskDefinition: OLD, runningCount: 2, rolloutState: 'COMPLETED' });
const event = (id: string, seconds: number, message: string) => ({ id, createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seconds)), message });

beforeEach(() => {
  ecsMock.reset();
  ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
});

describe('watchRollout', () => {
  test('a healthy rollout succeeds on the first poll that sees COMPLETED, and prints each event once in order', async () => {
    const started = event('e1', 1, '(service web) has started 2 tasks: (task a) (task b).');
    const steady = event('e2', 5, '(service web) has reached a steady state.');
    const stale = { id: 'e0', createdAt: new Date(Date.UTC(2025, 11, 31)), message: 'an event from yesterday' };
    answers(
      service([deployment({ pendingCount: 2 }), oldActive], { events: [stale] }),
      service([deployment({ runningCount: 2 }), oldActive], { events: [started, stale] }),
      service([deployment({ runningCount: 2, rolloutState: 'COMPLETED' })], { events: [steady, started, stale] }),
    );
    const log = silentLogger();
    const clock = fakeClock();
    const outcome = await watchRollout(request(), { ecs: new ECSClient({ region: 'us-east-1' }), log, clock });

    expect(outcome.status).toBe('succeeded');
    expect(outcome.polls).toBe(3);
    expect(clock.slept).toHaveLength(2);
    for (const ms of clock.slept) {
      expect(ms).toBeGreaterThanOrEqual(800);
      expect(ms).toBeLessThanOrEqual(1200);
    }
    const ecsLines = log.lines.filter((line) => line.startsWith('ECS:'));
    expect(ecsLines).toEqual([`ECS: ${started.message}`, `ECS: ${steady.message}`]);
    expect(outcome.events.map((e) => e.id)).toEqual(['e1', 'e2']);
  });

  test('without a circuit breaker, the threshold-th crashed task fails the rollout; each stopped task is described once', async () => {
    answers(service([deployment({}), oldActive]));
    const arns = [1, 2, 3].map((n) => crashedTask(n).taskArn as string);
    ecsMock
      .on(ListTasksCommand)
      .resolvesOnce({ taskArns: arns.slice(0, 1) })
      .resolvesOnce({ taskArns: arns.slice(0, 2) })
      .resolves({ taskArns: arns });
    ecsMock.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => ({
      tasks: input.tasks.map((arn) => crashedTask(arns.indexOf(arn) + 1, 1)),
    }));

    const outcome = await watchRollout(request(), { ecs: new ECSClient({ region: 'us-east-1' }), log: silentLogger(), clock: fakeClock() });

    expect(outcome.status).toBe('failed');
    expect(outcome.reason).toContain('3 tasks of the new revision stopped');
    expect(outcome.failedTasks).toHaveLength(3);
    const described = ecsMock.commandCalls(DescribeTasksCommand).flatMap((call) => call.args[0].input.tasks ?? []);
    expect(described.sort()).toEqual([...arns].sort());
  });

  test('lists the service\'s stopped tasks without startedBy (ECS allows it only alone) and keeps the deployment\'s own', async () => {
    answers(service([deployment({}), oldActive]));
    const ours = [1, 2, 3].map((n) => crashedTask(n));
    // Stopped tasks of the service's earlier deployment: ListTasks answers them too, and they are not ours.
    const earlier = [4, 5].map((n) => crashedTask(n, 1, { startedBy: OLD_ID, taskDefinitionArn: OLD }));
    const all = [...earlier, ...ours];
    ecsMock
      .on(ListTasksCommand)
      .resolvesOnce({ taskArns: all.slice(0, 3).map((t) => t.taskArn as string) })
      .resolvesOnce({ taskArns: all.slice(0, 4).map((t) => t.taskArn as string) })
      .resolves({ taskArns: all.map((t) => t.taskArn as string) });
    ecsMock.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => ({ tasks: all.filter((t) => input.tasks.includes(t.taskArn as string)) }));

    const outcome = await watchRollout(request(), { ecs: new ECSClient({ region: 'us-east-1' }), log: silentLogger(), clock: fakeClock() });

    expect(outcome.status).toBe('failed');
    expect(outcome.failedTasks.map((t) => t.taskArn)).toEqual(ours.map((t) => t.taskArn));
    for (const call of ecsMock.commandCalls(ListTasksCommand)) {
      expect(call.args[0].input).toEqual({ cluster: 'prod', serviceName: 'web', desiredStatus: 'STOPPED' });
    }
    // The earlier deployment's tasks are described once, like ours, not on every poll.
    const described = ecsMock.commandCalls(DescribeTasksCommand).flatMap((call) => call.args[0].input.tasks ?? []);
    expect(described.sort()).toEqual(all.map((t) => t.taskArn as string).sort());
  });

  test('with a circuit breaker, stopped tasks are only listed when ECS reports new failures, and a rollback is reported', async () => {
    answers(
      service([deployment({ pendingCount: 2 }), oldActive]),
      service([deployment({ failedTasks: 1 }), oldActive]),
      service([deployment({ failedTasks: 1 }), oldActive]),
      service([
        deployment({ id: ROLLBACK_ID, taskDefinition: OLD }),
        deployment({ status: 'ACTIVE', failedTasks: 3, rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' }),
      ]),
    );
    const breaker = { deploymentId: NEW_ID, circuitBreaker: { enable: true, rollback: true }, failedTasksThreshold: 3 };
    const outcome = await watchRollout(request({ target: breaker }), {
      ecs: new ECSClient({ region: 'us-east-1' }),
      log: silentLogger(),
      clock: fakeClock(),
    });

    expect(outcome.status).toBe('rolled-back');
    expect(outcome.reason).toBe('ECS deployment circuit breaker: tasks failed to start.');
    // Once when failedTasks went 0 -> 1, once when it went 1 -> 3, once more for the final evidence.
    expect(ecsMock.commandCalls(ListTasksCommand)).toHaveLength(3);
  });

  test('times out at the deadline, not after it', async () => {
    answers(service([deployment({ pendingCount: 2 }), oldActive]));
    const clock = fakeClock();
    const outcome = await watchRollout(request({ timeoutMs: 10_000 }), { ecs: new ECSClient({ region: 'us-east-1' }), log: silentLogger(), clock });
    expect(outcome.status).toBe('timed-out');
    expect(clock.slept.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(outcome.polls).toBeGreaterThanOrEqual(9);
    expect(outcome.polls).toBeLessThanOrEqual(13);
  });

  test('events UpdateService already returned are not reported as this deploy\'s, however recent', async () => {
    const earlier = event('old', 0, '(service web) has reached a steady state.');
    const mine = event('new', 2, '(service web) has started 2 tasks: (task c).');
    answers(service([deployment({ runningCount: 2, rolloutState: 'COMPLETED' })], { events: [mine, earlier] }));
    const log = silentLogger();
    const outcome = await watchRollout(request({ knownEventIds: ['old'] }), { ecs: new ECSClient({ region: 'us-east-1' }), log, clock: fakeClock() });
    expect(outcome.events.map((e) => e.id)).toEqual(['new']);
    expect(log.lines).not.toContain(`ECS: ${earlier.message}`);
  });

  test('progress is logged when it changes, not on every poll', async () => {
    const pending = service([deployment({ pendingCount: 2 }), oldActive]);
    answers(pending, pending, pending, service([deployment({ runningCount: 2, rolloutState: 'COMPLETED' })]));
    const log = silentLogger();
    await watchRollout(request(), { ecs: new ECSClient({ region: 'us-east-1' }), log, clock: fakeClock() });
    expect(log.lines.filter((line) => line.startsWith(`${NEW_ID}:`))).toEqual([
      `${NEW_ID}: 0/2 running, 2 pending [IN_PROGRESS]`,
      `${NEW_ID}: 2/2 running, 0 pending [COMPLETED]`,
    ]);
  });
});

import { beforeEach, describe, expect, test } from '@jest/globals';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  type Deployment,
  type Service,
  type ServiceDeployment,
  type Task,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { silentLogger } from '../src/common/logger';
import { fakeClock } from './support/fake-clock';
import { ALARM_CHECK_INTERVAL_MS, watchRollout, type WatchRequest } from '../src/ecs/watch';
import { STOPPED_TASKS_INTERVAL_MS } from '../src/ecs/stopped-task-schedule';
import { BACKSTOP_SETTLE_MS } from '../src/ecs/rollout';
import { crashedTask, deployment, NEW, NEW_ID, OLD, OLD_ID, ROLLBACK_ID, service } from './fixtures/ecs';
import { alarmTriggered, rollingBack, SD_ARN, serviceDeployment, stoppedWithoutRollback } from './fixtures/service-deployments';

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
const ecs = () => new ECSClient({ region: 'us-east-1' });
const breakerOn = { deploymentId: NEW_ID, circuitBreaker: { enable: true, rollback: true }, failedTasksThreshold: 3 };

/**
 * A crash loop as DescribeServices shows it: each answer has one more "has started 1 tasks" event (ECS replacing
 * the task that stopped), newest first, as service events are listed.
 */
function crashLoop(polls: number, ours: Partial<Deployment> = {}, overrides: Partial<Service> = {}): Service[] {
  const events: NonNullable<Service['events']> = [];
  return Array.from({ length: polls }, (_, i) => {
    events.unshift(event(`start${i}`, i + 1, `(service web) has started 1 tasks: (task ${i}).`));
    return service([deployment({ runningCount: 1, ...ours }), oldActive], {
      events: [...events],
      currentServiceDeployment: SD_ARN,
      ...overrides,
    });
  });
}

/** ListTasks answers the stopped tasks that exist by the fake clock's time: task n stops at second n. */
function stoppedByTime(clock: { now(): number }, tasks: Task[]) {
  ecsMock.on(ListTasksCommand).callsFake(() => ({
    taskArns: tasks.filter((task) => new Date(task.stoppedAt as Date).getTime() <= clock.now()).map((task) => task.taskArn as string),
  }));
  ecsMock
    .on(DescribeTasksCommand)
    .callsFake((input: { tasks: string[] }) => ({ tasks: tasks.filter((task) => input.tasks.includes(task.taskArn as string)) }));
}

const calls = (command: Parameters<typeof ecsMock.commandCalls>[0]) => ecsMock.commandCalls(command).length;

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
    answers(...crashLoop(10));
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

  test("lists the service's stopped tasks without startedBy (ECS allows it only alone) and keeps the deployment's own", async () => {
    answers(...crashLoop(10));
    const ours = [1, 2, 3].map((n) => crashedTask(n));
    // Stopped tasks of the service's earlier deployment: ListTasks answers them too, and they are not ours.
    const earlier = [4, 5].map((n) => crashedTask(n, 1, { startedBy: OLD_ID, taskDefinitionArn: OLD }));
    const all = [...earlier, ...ours];
    ecsMock
      .on(ListTasksCommand)
      .resolvesOnce({ taskArns: all.slice(0, 3).map((t) => t.taskArn as string) })
      .resolvesOnce({ taskArns: all.slice(0, 4).map((t) => t.taskArn as string) })
      .resolves({ taskArns: all.map((t) => t.taskArn as string) });
    ecsMock
      .on(DescribeTasksCommand)
      .callsFake((input: { tasks: string[] }) => ({ tasks: all.filter((t) => input.tasks.includes(t.taskArn as string)) }));

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

  test('with a circuit breaker, a rollback is reported once the service deployment shows it, which is read only after FAILED', async () => {
    const current = { currentServiceDeployment: SD_ARN };
    answers(
      service([deployment({ pendingCount: 2 }), oldActive], current),
      service([deployment({ failedTasks: 1 }), oldActive], current),
      service([deployment({ failedTasks: 1 }), oldActive], current),
      service(
        [
          deployment({ id: ROLLBACK_ID, taskDefinition: OLD }),
          deployment({
            status: 'ACTIVE',
            failedTasks: 3,
            rolloutState: 'FAILED',
            rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
          }),
          oldActive,
        ],
        current,
      ),
    );
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [rollingBack('ROLLBACK_REQUESTED')] });

    const outcome = await watchRollout(request({ target: breakerOn, stoppedBefore: [] }), {
      ecs: ecs(),
      log: silentLogger(),
      clock: fakeClock(),
    });

    expect(outcome.status).toBe('rolled-back');
    expect(outcome.reason).toBe('ECS deployment circuit breaker: tasks failed to start.');
    expect(outcome.verdict).toMatchObject({ state: 'rolled-back', cause: 'circuit-breaker' });
    // The service deployment learnt from currentServiceDeployment: deploy-ecs's service-deployment-arn output.
    expect(outcome.serviceDeploymentArn).toBe(SD_ARN);
    const reads = ecsMock.commandCalls(DescribeServiceDeploymentsCommand);
    expect(reads).toHaveLength(1);
    expect(reads[0].args[0].input).toEqual({ serviceDeploymentArns: [SD_ARN] });
    // When failedTasks went 0 -> 1 and 1 -> 3; the verdict's round listed them whole, so no final evidence read.
    expect(calls(ListTasksCommand)).toBe(2);
  });

  test('times out at the deadline, not after it', async () => {
    answers(service([deployment({ pendingCount: 2 }), oldActive]));
    const clock = fakeClock();
    const outcome = await watchRollout(request({ timeoutMs: 10_000 }), {
      ecs: new ECSClient({ region: 'us-east-1' }),
      log: silentLogger(),
      clock,
    });
    expect(outcome.status).toBe('timed-out');
    expect(clock.slept.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(outcome.polls).toBeGreaterThanOrEqual(9);
    expect(outcome.polls).toBeLessThanOrEqual(13);
  });

  test("events UpdateService already returned are not reported as this deploy's, however recent", async () => {
    const earlier = event('old', 0, '(service web) has reached a steady state.');
    const mine = event('new', 2, '(service web) has started 2 tasks: (task c).');
    answers(service([deployment({ runningCount: 2, rolloutState: 'COMPLETED' })], { events: [mine, earlier] }));
    const log = silentLogger();
    const outcome = await watchRollout(request({ knownEventIds: ['old'] }), {
      ecs: new ECSClient({ region: 'us-east-1' }),
      log,
      clock: fakeClock(),
    });
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

describe('watchRollout lists stopped tasks only when something changed (point 10)', () => {
  test("a healthy deploy lists them when the deployment's counts change, not on every poll", async () => {
    const pending = service([deployment({ pendingCount: 2 }), oldActive]);
    const half = service([deployment({ runningCount: 1, pendingCount: 1 }), oldActive]);
    const running = service([deployment({ runningCount: 2 }), oldActive]);
    answers(
      pending,
      pending,
      pending,
      pending,
      pending,
      half,
      running,
      running,
      running,
      running,
      running,
      service([deployment({ runningCount: 2, rolloutState: 'COMPLETED' })]),
    );

    const outcome = await watchRollout(request({ stoppedBefore: [] }), { ecs: ecs(), log: silentLogger(), clock: fakeClock() });

    expect(outcome.status).toBe('succeeded');
    expect(outcome.polls).toBe(12);
    // Once when half the tasks ran, once (after the interval) when all did; never while nothing changed.
    expect(calls(ListTasksCommand)).toBe(2);
  });

  test('they are listed at most every few seconds however fast the counts change, and a change seen meanwhile is listed after', async () => {
    const clock = fakeClock();
    const listedAt: number[] = [];
    ecsMock.on(ListTasksCommand).callsFake(() => {
      listedAt.push(clock.now());
      return { taskArns: [] };
    });
    // Pending counts and updatedAt change on every answer; the running count never drops (a drop is listed at once).
    answers(
      ...Array.from({ length: 12 }, (_, i) =>
        service([
          deployment({ runningCount: 0, pendingCount: 2 - (i % 3), updatedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)) }),
          oldActive,
        ]),
      ),
    );

    await watchRollout(request({ stoppedBefore: [], timeoutMs: 12_000 }), { ecs: ecs(), log: silentLogger(), clock });

    // The last listing is the one before the timed-out verdict, which is always made.
    const during = listedAt.slice(0, -1);
    expect(during.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < during.length; i++) expect(during[i] - during[i - 1]).toBeGreaterThanOrEqual(STOPPED_TASKS_INTERVAL_MS);
  });

  test('a deployment that ran before the watcher started (a re-run) has its stopped tasks listed on the first poll', async () => {
    const clock = fakeClock();
    stoppedByTime(
      clock,
      [crashedTask(1, 1), crashedTask(2, 1), crashedTask(3, 1)].map((task) => ({
        ...task,
        stoppedAt: new Date(Date.UTC(2025, 11, 31, 23, 58)),
      })),
    );
    answers(service([deployment({ pendingCount: 2 }), oldActive]));
    const outcome = await watchRollout(request({ stoppedBefore: [], startedAt: Date.UTC(2025, 11, 31, 23, 55) }), {
      ecs: ecs(),
      log: silentLogger(),
      clock,
    });
    expect(outcome.status).toBe('failed');
    expect(outcome.polls).toBe(1);
  });

  test('a timed-out verdict still lists the stopped tasks once at the end, for its evidence', async () => {
    const clock = fakeClock();
    stoppedByTime(clock, [crashedTask(3, 1)]);
    answers(service([deployment({ pendingCount: 2 }), oldActive]));
    const outcome = await watchRollout(request({ stoppedBefore: [], timeoutMs: 5_000 }), { ecs: ecs(), log: silentLogger(), clock });
    expect(outcome.status).toBe('timed-out');
    expect(calls(ListTasksCommand)).toBe(1);
    expect(outcome.failedTasks).toHaveLength(1);
  });

  test('with a circuit breaker, the evidence is refreshed whenever failedTasks changes, also back to 0 and up again', async () => {
    const clock = fakeClock();
    const tasks = [crashedTask(1, 1), crashedTask(3, 1)];
    stoppedByTime(clock, tasks);
    // failedTasks 0 -> 1 (task 1 stopped), -> 0 (a task turned healthy: ECS resets the count), -> 1 (task 3 stopped).
    answers(
      service([deployment({ pendingCount: 2 }), oldActive]),
      service([deployment({ pendingCount: 2, failedTasks: 1 }), oldActive]),
      service([deployment({ pendingCount: 2, failedTasks: 0 }), oldActive]),
      service([deployment({ pendingCount: 2, failedTasks: 1 }), oldActive]),
    );
    const listedAt: number[] = [];
    ecsMock.on(ListTasksCommand).callsFake(() => {
      listedAt.push(clock.now());
      return {
        taskArns: tasks.filter((task) => new Date(task.stoppedAt as Date).getTime() <= clock.now()).map((task) => task.taskArn as string),
      };
    });

    const outcome = await watchRollout(request({ target: breakerOn, stoppedBefore: [], timeoutMs: 4_500, intervalMs: 1000 }), {
      ecs: ecs(),
      log: silentLogger(),
      clock,
    });

    // At each of the three changes, however close together, and once at the end.
    expect(listedAt).toHaveLength(4);
    expect(outcome.failedTasks.map((task) => task.taskArn)).toEqual(tasks.map((task) => task.taskArn));
  });
});

describe("watchRollout's backstop when the circuit breaker does not see the crashes (point 4)", () => {
  const crashingAfterRunning = Array.from({ length: 6 }, (_, i) =>
    crashedTask(i + 1, 1, { startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)) }),
  );

  beforeEach(() => {
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [serviceDeployment()] });
    ecsMock
      .on(DescribeTaskDefinitionCommand)
      .resolves({ taskDefinition: { taskDefinitionArn: NEW, containerDefinitions: [{ name: 'web', image: 'web:8', essential: true }] } });
  });

  test("a crash loop ECS's breaker does not count fails within seconds, saying the breaker did not trip and why", async () => {
    const clock = fakeClock();
    stoppedByTime(clock, crashingAfterRunning);
    answers(...crashLoop(30));

    const outcome = await watchRollout(request({ target: breakerOn, stoppedBefore: [], timeoutMs: 1_800_000 }), {
      ecs: ecs(),
      log: silentLogger(),
      clock,
    });

    expect(outcome.status).toBe('failed');
    expect(outcome.verdict).toMatchObject({ state: 'failed', cause: 'breaker-did-not-trip' });
    expect(outcome.reason).toContain("ECS's circuit breaker did not trip (it counts 0 of its threshold 3)");
    expect(outcome.reason).toContain('the task definition defines no container health check and the service has no load balancer');
    // The third crash stopped at 3 s: listed at most 2 s later, and given 3 s for ECS to count it, then a poll.
    expect(clock.now() - Date.UTC(2026, 0, 1)).toBeLessThanOrEqual(3_000 + STOPPED_TASKS_INTERVAL_MS + BACKSTOP_SETTLE_MS + 1_200);
    expect(ecsMock.commandCalls(DescribeTaskDefinitionCommand)[0].args[0].input).toEqual({ taskDefinition: NEW });
  });

  test("no backstop while ECS counts the same failures, even when a list sees a crash before ECS's count does", async () => {
    const clock = fakeClock();
    const stoppedBy = (ms: number) => crashingAfterRunning.filter((task) => new Date(task.stoppedAt as Date).getTime() <= ms);
    // ECS's count follows a stop after a moment: a list may see a crash that ECS's answers show only later.
    ecsMock.on(ListTasksCommand).callsFake(() => ({ taskArns: stoppedBy(clock.now() + 1500).map((task) => task.taskArn as string) }));
    ecsMock.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => ({
      tasks: crashingAfterRunning.filter((task) => input.tasks.includes(task.taskArn as string)),
    }));
    ecsMock.on(DescribeServicesCommand).callsFake(() => {
      const failedTasks = stoppedBy(clock.now()).length;
      const ours = deployment({
        failedTasks,
        ...(failedTasks >= 3
          ? { status: 'ACTIVE', rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' }
          : {}),
      });
      const deployments = failedTasks >= 3 ? [deployment({ id: ROLLBACK_ID, taskDefinition: OLD }), ours, oldActive] : [ours, oldActive];
      return { services: [service(deployments, { currentServiceDeployment: SD_ARN })] };
    });
    // The service deployment lags too: it still shows no failure when the backstop would ask.
    ecsMock.on(DescribeServiceDeploymentsCommand).callsFake(() => ({
      serviceDeployments: [stoppedBy(clock.now()).length >= 3 ? rollingBack('ROLLBACK_REQUESTED') : serviceDeployment()],
    }));

    const outcome = await watchRollout(request({ target: breakerOn, stoppedBefore: [] }), { ecs: ecs(), log: silentLogger(), clock });

    expect(outcome.status).toBe('rolled-back');
    expect(outcome.verdict).toMatchObject({ cause: 'circuit-breaker' });
  });
});

describe('watchRollout with deployment failures ECS reports on the service deployment (point 3)', () => {
  test('the breaker tripped and ECS found no completed deployment to roll back to: failed, not rolled-back', async () => {
    answers(
      service([deployment({ pendingCount: 2 })], { currentServiceDeployment: SD_ARN }),
      service(
        [
          deployment({
            failedTasks: 3,
            rolloutState: 'FAILED',
            rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
          }),
        ],
        { currentServiceDeployment: SD_ARN },
      ),
    );
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [stoppedWithoutRollback()] });

    const outcome = await watchRollout(request({ target: breakerOn, stoppedBefore: [] }), {
      ecs: ecs(),
      log: silentLogger(),
      clock: fakeClock(),
    });

    expect(outcome.status).toBe('failed');
    expect(outcome.reason).toContain('ECS did not roll back: it found no completed deployment to roll back to');
  });

  test('an alarm rollback is rolled-back naming the alarm; the service deployment is read every few seconds while alarms are on', async () => {
    const clock = fakeClock();
    const alarmsOn = {
      deploymentConfiguration: {
        deploymentCircuitBreaker: { enable: false, rollback: false },
        alarms: { alarmNames: ['web-5xx', 'web-latency'], enable: true, rollback: true },
      },
    };
    const inProgress = service([deployment({ runningCount: 1, pendingCount: 1 }), oldActive], {
      currentServiceDeployment: SD_ARN,
      ...alarmsOn,
    });
    const rolledBack = service(
      [
        deployment({ id: ROLLBACK_ID, taskDefinition: OLD }),
        deployment({ status: 'ACTIVE', rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment alarms: web-5xx in ALARM state.' }),
        oldActive,
      ],
      { currentServiceDeployment: SD_ARN, ...alarmsOn },
    );
    answers(...Array.from({ length: 12 }, () => inProgress), rolledBack);
    const readAt: number[] = [];
    ecsMock.on(DescribeServiceDeploymentsCommand).callsFake(() => {
      readAt.push(clock.now());
      const sd: ServiceDeployment =
        calls(DescribeServicesCommand) > 12
          ? alarmTriggered(true)
          : serviceDeployment({ alarms: { status: 'MONITORING', alarmNames: ['web-5xx', 'web-latency'] } });
      return { serviceDeployments: [sd] };
    });

    const outcome = await watchRollout(request({ stoppedBefore: [] }), { ecs: ecs(), log: silentLogger(), clock });

    expect(outcome.status).toBe('rolled-back');
    expect(outcome.verdict).toMatchObject({ state: 'rolled-back', cause: 'alarm', alarmNames: ['web-5xx'] });
    expect(outcome.reason).toBe('CloudWatch alarm "web-5xx" went into ALARM');
    const periodic = readAt.slice(0, -1);
    for (let i = 1; i < periodic.length; i++) expect(periodic[i] - periodic[i - 1]).toBeGreaterThanOrEqual(ALARM_CHECK_INTERVAL_MS);
  });

  test('an alarm that failed the deployment before the first poll: the current service deployment, created with ours, names it', async () => {
    const failedAlready = service(
      [
        deployment({ id: ROLLBACK_ID, taskDefinition: OLD }),
        deployment({ status: 'ACTIVE', rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment alarms: web-5xx in ALARM state.' }),
        oldActive,
      ],
      { currentServiceDeployment: SD_ARN },
    );
    answers(failedAlready);
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [alarmTriggered(true)] });

    const outcome = await watchRollout(request({ stoppedBefore: [] }), { ecs: ecs(), log: silentLogger(), clock: fakeClock() });

    expect(outcome.verdict).toMatchObject({ state: 'rolled-back', cause: 'alarm', alarmNames: ['web-5xx'] });
  });

  test("a current service deployment created long after ours is a newer deploy's, not ours", async () => {
    answers(
      service([deployment({ id: ROLLBACK_ID, taskDefinition: OLD }), deployment({ status: 'ACTIVE' }), oldActive], {
        currentServiceDeployment: SD_ARN,
      }),
    );
    ecsMock
      .on(DescribeServiceDeploymentsCommand)
      .resolves({ serviceDeployments: [rollingBack('ROLLBACK_IN_PROGRESS', { createdAt: new Date('2026-01-01T00:10:00Z') })] });

    const outcome = await watchRollout(request({ stoppedBefore: [] }), { ecs: ecs(), log: silentLogger(), clock: fakeClock() });

    expect(outcome.verdict).toMatchObject({ state: 'failed', cause: 'replaced' });
  });

  test('without ecs:DescribeServiceDeployments, a rollback deployment back on the old revision is the rollback, warned once naming the permission', async () => {
    answers(
      service([deployment({ pendingCount: 2 }), oldActive], { currentServiceDeployment: SD_ARN }),
      service(
        [
          deployment({ id: ROLLBACK_ID, taskDefinition: OLD }),
          deployment({
            status: 'ACTIVE',
            failedTasks: 3,
            rolloutState: 'FAILED',
            rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
          }),
        ],
        { currentServiceDeployment: SD_ARN },
      ),
    );
    const denied = Object.assign(new Error('User is not authorized to perform: ecs:DescribeServiceDeployments'), {
      name: 'AccessDeniedException',
    });
    ecsMock.on(DescribeServiceDeploymentsCommand).rejects(denied);
    const log = silentLogger();

    const outcome = await watchRollout(request({ target: breakerOn, stoppedBefore: [] }), { ecs: ecs(), log, clock: fakeClock() });

    expect(outcome.status).toBe('rolled-back');
    expect(log.lines.filter((line) => line.includes('DescribeServiceDeployments is not available'))).toEqual([
      expect.stringMatching(/^warning: .*Grant ecs:DescribeServiceDeployments/),
    ]);
  });
});

import { beforeEach, describe, expect, test } from '@jest/globals';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { silentLogger } from '../src/common/logger';
import { SKIPPED_READS_WARNING } from '../src/common/skipped-reads';
import { watchRollout, type WatchRequest } from '../src/ecs/watch';
import { rolloutPollInterval } from '../src/ecs/watch-loop';
import { fakeClock } from './support/fake-clock';
import { crashedTask, deployment, NEW_ID, OLD, OLD_ID, ROLLBACK_ID, service } from './fixtures/ecs';
import { rollingBack, SD_ARN } from './fixtures/service-deployments';

const ecsMock = mockClient(ECSClient);
const ecs = () => new ECSClient({ region: 'us-east-1' });

const request = (overrides: Partial<WatchRequest> = {}): WatchRequest => ({
  cluster: 'prod',
  service: 'web',
  startedAt: Date.UTC(2026, 0, 1) - 500,
  timeoutMs: 60_000,
  target: { deploymentId: NEW_ID, circuitBreaker: { enable: false, rollback: false }, failedTasksThreshold: 3 },
  ...overrides,
});

const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
const serverError = () =>
  Object.assign(new Error('We encountered an internal error.'), {
    name: 'ServerException',
    $fault: 'server',
    $metadata: { httpStatusCode: 500 },
  });
const oldActive = deployment({ id: OLD_ID, status: 'ACTIVE', taskDefinition: OLD, runningCount: 2, rolloutState: 'COMPLETED' });
const inProgress = service([deployment({ runningCount: 1 }), oldActive]);
const completed = service([deployment({ runningCount: 2, rolloutState: 'COMPLETED' })]);

/** DescribeServices answers `answer()` except on the calls (1-based) listed, which fail with `failure()`. */
function describeServices(answer: () => Service, failing: (call: number) => boolean, failure: () => Error = throttled) {
  let call = 0;
  ecsMock.on(DescribeServicesCommand).callsFake(() => {
    call += 1;
    if (failing(call)) throw failure();
    return { services: [answer()] };
  });
}

beforeEach(() => {
  ecsMock.reset();
  ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });
});

describe('watchRollout under throttling', () => {
  test('a throttled DescribeServices round is skipped and the next round decides', async () => {
    describeServices(
      () => completed,
      (call) => call === 1,
    );
    const log = silentLogger();

    const outcome = await watchRollout(request(), { ecs: ecs(), log, clock: fakeClock() });

    expect(outcome.status).toBe('succeeded');
    expect(outcome.polls).toBe(2);
    expect(outcome.skippedPolls).toBe(1);
    expect(log.lines.filter((line) => line.startsWith('warning:'))).toEqual([]);
  });

  test('a round whose stopped-task read fails with a 5xx is skipped whole, not judged as "no failed tasks"', async () => {
    describeServices(
      () => completed,
      () => false,
    );
    ecsMock.on(ListTasksCommand).rejectsOnce(serverError()).resolves({ taskArns: [] });

    const outcome = await watchRollout(request({ startedAt: Date.UTC(2026, 0, 1) - 60_000 }), {
      ecs: ecs(),
      log: silentLogger(),
      clock: fakeClock(),
    });

    // A re-run lists stopped tasks on its first poll: that poll's list failed, so success waits for the next one.
    expect(outcome.status).toBe('succeeded');
    expect(outcome.skippedPolls).toBe(1);
    expect(outcome.polls).toBe(2);
  });

  test(`persistent throttling warns once, after ${SKIPPED_READS_WARNING} skipped polls in a row`, async () => {
    describeServices(
      () => (ecsMock.commandCalls(DescribeServicesCommand).length > 14 ? completed : inProgress),
      (call) => call <= 12,
    );
    const log = silentLogger();

    const outcome = await watchRollout(request(), { ecs: ecs(), log, clock: fakeClock() });

    expect(outcome.status).toBe('succeeded');
    expect(outcome.skippedPolls).toBe(12);
    const warnings = log.lines.filter((line) => line.startsWith('warning:'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(
      `ECS is throttling (or failing) the watcher's reads: ${SKIPPED_READS_WARNING} of the last ${SKIPPED_READS_WARNING} polls skipped`,
    );
  });

  test('an error that is not transient still ends the watch', async () => {
    describeServices(
      () => completed,
      () => true,
      () =>
        Object.assign(new Error('not authorized to perform: ecs:DescribeServices'), {
          name: 'AccessDeniedException',
          $metadata: { httpStatusCode: 400 },
        }),
    );

    await expect(watchRollout(request(), { ecs: ecs(), log: silentLogger(), clock: fakeClock() })).rejects.toThrow('ecs:DescribeServices');
  });

  test('a crash loop gets the same verdict with a third of its reads throttled or failing as without', async () => {
    const tasks: Task[] = Array.from({ length: 5 }, (_, i) => crashedTask(i + 1, 1));
    async function run(faulty: boolean) {
      ecsMock.reset();
      const clock = fakeClock();
      const stoppedNow = () => tasks.filter((task) => new Date(task.stoppedAt as Date).getTime() <= clock.now());
      let listCall = 0;
      ecsMock.on(ListTasksCommand).callsFake(() => {
        listCall += 1;
        if (faulty && listCall % 3 === 2) throw serverError();
        return { taskArns: stoppedNow().map((task) => task.taskArn as string) };
      });
      ecsMock
        .on(DescribeTasksCommand)
        .callsFake((input: { tasks: string[] }) => ({ tasks: tasks.filter((task) => input.tasks.includes(task.taskArn as string)) }));
      describeServices(
        () => service([deployment({ runningCount: 1, failedTasks: stoppedNow().length }), oldActive]),
        (call) => faulty && call % 3 === 0,
      );
      const outcome = await watchRollout(request(), { ecs: ecs(), log: silentLogger(), clock });
      return { outcome, elapsed: clock.now() - Date.UTC(2026, 0, 1) };
    }

    const clean = await run(false);
    const faulty = await run(true);

    expect(faulty.outcome.skippedPolls).toBeGreaterThan(0);
    expect(faulty.outcome.status).toBe(clean.outcome.status);
    expect(faulty.outcome.status).toBe('failed');
    expect(faulty.outcome.cause).toBe(clean.outcome.cause);
    // Decided a round or two later, it may have seen one more crash: the same words, maybe another count.
    const words = (reason?: string) => reason?.replace(/^\d+ tasks/, 'N tasks');
    expect(words(faulty.outcome.reason)).toBe(words(clean.outcome.reason));
    expect(faulty.outcome.failedTasks.slice(0, 3)).toEqual(clean.outcome.failedTasks.slice(0, 3));
    // Skipped rounds cost their interval, not an SDK backoff.
    expect(faulty.elapsed - clean.elapsed).toBeLessThanOrEqual(3_000);
  });
});

describe('the round after a skipped one', () => {
  test('comes sooner: after one skipped round in 300 ms, after two in 600 ms, after a third in the usual second', async () => {
    describeServices(
      () => (ecsMock.commandCalls(DescribeServicesCommand).length > 5 ? completed : inProgress),
      (call) => call >= 2 && call <= 4,
    );
    const clock = fakeClock();

    const outcome = await watchRollout(request(), { ecs: ecs(), log: silentLogger(), clock });

    expect(outcome.status).toBe('succeeded');
    expect(outcome.skippedPolls).toBe(3);
    // Round 1 read, rounds 2-4 skipped, round 5 read: the waits after each, within the poll's ±20 % jitter.
    const [afterRead, afterOne, afterTwo, afterThree, afterReadAgain] = clock.slept;
    expect([afterRead, afterThree, afterReadAgain].every((ms) => ms >= 800 && ms <= 1200)).toBe(true);
    expect(afterOne).toBeGreaterThanOrEqual(240);
    expect(afterOne).toBeLessThanOrEqual(360);
    expect(afterTwo).toBeGreaterThanOrEqual(480);
    expect(afterTwo).toBeLessThanOrEqual(720);
  });
});

describe('rolloutPollInterval', () => {
  test('once a second for the first 3 minutes, every 2 s until 10 minutes, then every 5 s', () => {
    expect([0, 179_999, 180_000, 599_999, 600_000, 3_600_000].map(rolloutPollInterval)).toEqual([1000, 1000, 2000, 2000, 5000, 5000]);
  });

  test('a long rollout is polled less often after its first minutes; a short one is polled every second', async () => {
    describeServices(
      () => (ecsMock.commandCalls(DescribeServicesCommand).length > 400 ? completed : inProgress),
      () => false,
    );
    const clock = fakeClock();

    const outcome = await watchRollout(request({ timeoutMs: 3_600_000 }), { ecs: ecs(), log: silentLogger(), clock });

    expect(outcome.status).toBe('succeeded');
    const first3Minutes = clock.slept.slice(0, 150);
    expect(Math.max(...first3Minutes)).toBeLessThanOrEqual(1_200);
    expect(Math.max(...clock.slept)).toBeGreaterThan(4_000);
    expect(Math.max(...clock.slept)).toBeLessThanOrEqual(6_000);
  });
});

describe('watchRollout when reads fail part of the way', () => {
  const breakerOn = { deploymentId: NEW_ID, circuitBreaker: { enable: true, rollback: true }, failedTasksThreshold: 3 };
  const crashed = [1, 2, 3].map((n) => crashedTask(n, 1));
  const describing = () =>
    ecsMock
      .on(DescribeTasksCommand)
      .callsFake((input: { tasks: string[] }) => ({ tasks: crashed.filter((task) => input.tasks.includes(task.taskArn as string)) }));

  test('the polls are throttled until ECS has rolled back and removed our deployment: rolled-back, as the start saw it', async () => {
    // UpdateService's answer: ours PRIMARY in service deployment SD_ARN, over the old revision.
    const startedWith = service([deployment({}), oldActive], { currentServiceDeployment: SD_ARN });
    // What the first answered poll shows: ECS's rollback deployment of the old revision, ours gone.
    const rolledBack = service(
      [
        deployment({
          id: ROLLBACK_ID,
          taskDefinition: OLD,
          runningCount: 2,
          rolloutState: 'COMPLETED',
          createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 5)),
        }),
      ],
      { currentServiceDeployment: SD_ARN },
    );
    describeServices(
      () => rolledBack,
      (call) => call <= 4,
    );
    ecsMock.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [rollingBack('ROLLBACK_SUCCESSFUL')] });
    ecsMock.on(ListTasksCommand).resolves({ taskArns: crashed.map((task) => task.taskArn as string) });
    describing();

    const outcome = await watchRollout(request({ target: breakerOn, startedWith }), {
      ecs: ecs(),
      log: silentLogger(),
      clock: fakeClock(),
    });

    expect(outcome.status).toBe('rolled-back');
    expect(outcome.cause).toBe('circuit-breaker');
    expect(outcome.reason).toBe('ECS deployment circuit breaker: tasks failed to start.');
    expect(outcome.skippedPolls).toBe(4);
  });

  test('a round whose DescribeTasks fails keeps what ListTasks found: the next round decides even though its ListTasks fails', async () => {
    describeServices(
      () => service([deployment({ runningCount: 1, failedTasks: 3 }), oldActive]),
      () => false,
    );
    let lists = 0;
    ecsMock.on(ListTasksCommand).callsFake(() => {
      if (++lists > 1) throw throttled();
      return { taskArns: crashed.map((task) => task.taskArn as string) };
    });
    let describes = 0;
    ecsMock.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => {
      if (++describes === 1) throw serverError();
      return { tasks: crashed.filter((task) => input.tasks.includes(task.taskArn as string)) };
    });

    const outcome = await watchRollout(request(), { ecs: ecs(), log: silentLogger(), clock: fakeClock() });

    expect(outcome.status).toBe('failed');
    expect(outcome.cause).toBe('failed-tasks-threshold');
    expect(outcome.polls).toBe(2);
    expect(outcome.skippedPolls).toBe(1);
  });

  test('the final evidence read (here after the timeout) fails: a warning, and the tasks already seen are reported', async () => {
    // One crash, below the threshold: the deploy goes on until the timeout, and the stopped tasks are read at the end.
    describeServices(
      () => service([deployment({ runningCount: 1, failedTasks: 1 }), oldActive]),
      () => false,
    );
    let lists = 0;
    ecsMock.on(ListTasksCommand).callsFake(() => {
      if (++lists > 1) throw throttled();
      return { taskArns: [crashed[0].taskArn as string] };
    });
    describing();
    const log = silentLogger();

    const outcome = await watchRollout(request({ timeoutMs: 5_000 }), { ecs: ecs(), log, clock: fakeClock() });

    expect(outcome.status).toBe('timed-out');
    expect(outcome.failedTasks.map((task) => task.taskArn)).toEqual([crashed[0].taskArn]);
    expect(lists).toBe(2);
    expect(log.lines.filter((line) => line.startsWith('warning:'))).toEqual([
      'warning: Could not list the stopped tasks once more (Rate exceeded): reporting the 1 seen before.',
    ]);
  });

  test("a failure decided in a round that read the stopped tasks whole is not read again: the verdict's evidence is that fresh", async () => {
    describeServices(
      () => service([deployment({ runningCount: 1, failedTasks: 3 }), oldActive]),
      () => false,
    );
    ecsMock.on(ListTasksCommand).resolves({ taskArns: crashed.map((task) => task.taskArn as string) });
    describing();

    const outcome = await watchRollout(request(), { ecs: ecs(), log: silentLogger(), clock: fakeClock() });

    expect(outcome.status).toBe('failed');
    expect(outcome.failedTasks).toHaveLength(3);
    expect(ecsMock.commandCalls(ListTasksCommand)).toHaveLength(1);
  });
});

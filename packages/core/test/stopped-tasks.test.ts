import { beforeEach, describe, expect, test } from '@jest/globals';
import { DescribeServicesCommand, DescribeTasksCommand, ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { silentLogger } from '../src/common/logger';
import { listStoppedTaskArns, StoppedTaskTracker } from '../src/ecs/stopped-tasks';
import { StoppedTaskSchedule, STOPPED_TASKS_INTERVAL_MS, STOPPING_RELISTS } from '../src/ecs/stopped-task-schedule';
import { watchRollout } from '../src/ecs/watch';
import { fakeClock } from './support/fake-clock';
import { crashedTask, deployment, NEW_ID, OLD_ID, service } from './fixtures/ecs';

const ecsMock = mockClient(ECSClient);
const ecs = () => new ECSClient({ region: 'us-east-1' });

// A busy service: 250 tasks of earlier deployments still listed as stopped (ECS keeps them for about an hour).
const EARLIER = Array.from({ length: 250 }, (_, i) => crashedTask(1000 + i, 137, { startedBy: OLD_ID }));
const EARLIER_ARNS = EARLIER.map((task) => task.taskArn as string);
const OURS = crashedTask(1, 1);
const OURS_ARN = OURS.taskArn as string;

/**
 * ListTasks as ECS answers it, in pages of at most 100 ARNs, the newest stopped task first. Each listing from its
 * first page on answers the next of `lists` (the last one stays).
 */
function listTasksAnswers(...lists: string[][]) {
  let listings = 0;
  ecsMock.on(ListTasksCommand).callsFake((input: { nextToken?: string }) => {
    if (!input.nextToken) listings++;
    const arns = lists[Math.min(listings, lists.length) - 1];
    const from = Number(input.nextToken ?? 0);
    const next = from + 100 < arns.length ? String(from + 100) : undefined;
    return { taskArns: arns.slice(from, from + 100), nextToken: next };
  });
}

function describing() {
  const all = new Map([...EARLIER, OURS].map((task) => [task.taskArn as string, task]));
  ecsMock.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => ({ tasks: input.tasks.map((arn) => all.get(arn)) }));
}

const described = () => ecsMock.commandCalls(DescribeTasksCommand).flatMap((call) => call.args[0].input.tasks ?? []);

beforeEach(() => {
  ecsMock.reset();
  describing();
});

describe('StoppedTaskTracker with the stopped tasks listed before the deployment', () => {
  test("never describes the 250 earlier tasks, and still finds the deployment's own stopped task", async () => {
    listTasksAnswers(EARLIER_ARNS, [OURS_ARN, ...EARLIER_ARNS]);
    const stoppedBefore = await listStoppedTaskArns(ecs(), 'prod', 'web');
    expect(stoppedBefore).toHaveLength(250);
    const listed = ecsMock.commandCalls(ListTasksCommand).map((call) => call.args[0].input);
    expect(listed[0]).toMatchObject({ cluster: 'prod', serviceName: 'web', desiredStatus: 'STOPPED' });
    expect(listed[0].startedBy).toBeUndefined();
    expect(listed).toHaveLength(3);

    const tracker = new StoppedTaskTracker(ecs(), 'prod', 'web', NEW_ID, stoppedBefore);
    const found = await tracker.refresh();

    expect(found.map((task) => task.taskArn)).toEqual([OURS_ARN]);
    expect(described()).toEqual([OURS_ARN]);
    expect(ecsMock.commandCalls(DescribeTasksCommand)).toHaveLength(1);

    // A later poll lists the same tasks: nothing new, nothing described.
    expect((await tracker.refresh()).map((task) => task.taskArn)).toEqual([OURS_ARN]);
    expect(ecsMock.commandCalls(DescribeTasksCommand)).toHaveLength(1);
  });

  test('without that list, the first poll describes every earlier task (the cost the list avoids)', async () => {
    listTasksAnswers([OURS_ARN, ...EARLIER_ARNS]);
    const tracker = new StoppedTaskTracker(ecs(), 'prod', 'web', NEW_ID);

    expect((await tracker.refresh()).map((task) => task.taskArn)).toEqual([OURS_ARN]);
    expect(described()).toHaveLength(251);
    expect(ecsMock.commandCalls(DescribeTasksCommand)).toHaveLength(3);
  });
});

describe('watchRollout with stoppedBefore', () => {
  test("fails on the deployment's own crashed tasks without describing any earlier one", async () => {
    const ours = [1, 2, 3].map((n) => crashedTask(n, 1));
    const oursArns = ours.map((task) => task.taskArn as string);
    const all = new Map([...EARLIER, ...ours].map((task) => [task.taskArn as string, task]));
    ecsMock.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => ({ tasks: input.tasks.map((arn) => all.get(arn)) }));
    // Each crash shows as a change of the deployment's counts: running, then not.
    let polls = 0;
    ecsMock.on(DescribeServicesCommand).callsFake(() => ({ services: [service([deployment({ runningCount: polls++ % 2 })])] }));
    listTasksAnswers([oursArns[0], ...EARLIER_ARNS], [...oursArns, ...EARLIER_ARNS]);

    const outcome = await watchRollout(
      {
        cluster: 'prod',
        service: 'web',
        startedAt: Date.UTC(2026, 0, 1),
        timeoutMs: 60_000,
        stoppedBefore: EARLIER_ARNS,
        target: { deploymentId: NEW_ID, circuitBreaker: { enable: false, rollback: false }, failedTasksThreshold: 3 },
      },
      { ecs: ecs(), log: silentLogger(), clock: fakeClock() },
    );

    expect(outcome.status).toBe('failed');
    expect(outcome.failedTasks.map((task) => task.taskArn)).toEqual(oursArns);
    expect(described().sort()).toEqual([...oursArns].sort());
  });
});

describe('StoppedTaskTracker.stillStopping', () => {
  test("counts the deployment's tasks still shutting down, which the next refresh describes again", async () => {
    const stopping = crashedTask(2, 1, { lastStatus: 'DEPROVISIONING' });
    const arn = stopping.taskArn as string;
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [arn] });
    ecsMock
      .on(DescribeTasksCommand)
      .resolvesOnce({ tasks: [stopping] })
      .resolves({ tasks: [{ ...stopping, lastStatus: 'STOPPED' }] });
    const tracker = new StoppedTaskTracker(ecs(), 'prod', 'web', NEW_ID);

    expect(await tracker.refresh()).toEqual([]);
    expect(tracker.stillStopping).toBe(1);
    expect((await tracker.refresh()).map((task) => task.taskArn)).toEqual([arn]);
    expect(tracker.stillStopping).toBe(0);
  });
});

describe('StoppedTaskSchedule', () => {
  const ours = (overrides = {}) => deployment({ pendingCount: 2, ...overrides });

  test('lists on the first answer only when asked to (a deployment older than the watcher)', () => {
    expect(new StoppedTaskSchedule(fakeClock(), true).due({ deployment: ours(), newEvents: 0 })).toBe(true);
    expect(new StoppedTaskSchedule(fakeClock(), false).due({ deployment: ours(), newEvents: 0 })).toBe(false);
  });

  test.each<[string, object, number]>([
    ['running count', { runningCount: 1, pendingCount: 1 }, 0],
    ['pending count', { pendingCount: 1 }, 0],
    ['updatedAt', { updatedAt: new Date('2026-01-01T00:00:09Z') }, 0],
    ['a new service event', {}, 1],
  ])('a change of the %s makes a listing due', (_name, change, newEvents) => {
    const schedule = new StoppedTaskSchedule(fakeClock(), false);
    expect(schedule.due({ deployment: ours(), newEvents: 0 })).toBe(false);
    expect(schedule.due({ deployment: ours(), newEvents: 0 })).toBe(false);
    expect(schedule.due({ deployment: ours(change), newEvents })).toBe(true);
  });

  test('after a listing, a change waits for the interval, and is not forgotten meanwhile', () => {
    const clock = fakeClock();
    const schedule = new StoppedTaskSchedule(clock, false);
    schedule.due({ deployment: ours(), newEvents: 0 });
    expect(schedule.due({ deployment: ours({ runningCount: 1, pendingCount: 1 }), newEvents: 0 })).toBe(true);
    schedule.listed();
    clock.advance(1000);
    expect(schedule.due({ deployment: ours({ runningCount: 2, pendingCount: 0 }), newEvents: 0 })).toBe(false);
    clock.advance(STOPPED_TASKS_INTERVAL_MS - 1000);
    expect(schedule.due({ deployment: ours({ runningCount: 2, pendingCount: 0 }), newEvents: 0 })).toBe(true);
  });

  test('once a task of the new revision failed, a change is listed at once', () => {
    const clock = fakeClock();
    const schedule = new StoppedTaskSchedule(clock, false);
    schedule.due({ deployment: ours(), newEvents: 0 });
    expect(schedule.due({ deployment: ours(), newEvents: 1 })).toBe(true);
    schedule.listed();
    clock.advance(500);
    expect(schedule.due({ deployment: ours(), newEvents: 1 })).toBe(false);
    expect(schedule.due({ deployment: ours(), newEvents: 1, failing: true })).toBe(true);
    schedule.listed();
    // Nothing changed: nothing to list, failing or not.
    expect(schedule.due({ deployment: ours(), newEvents: 0, failing: true })).toBe(false);
  });

  test('a drop of our running count is listed at once: a task of ours left RUNNING', () => {
    const clock = fakeClock();
    const schedule = new StoppedTaskSchedule(clock, false);
    schedule.due({ deployment: ours({ runningCount: 2, pendingCount: 0 }), newEvents: 0 });
    schedule.listed();
    clock.advance(500);
    expect(schedule.due({ deployment: ours({ runningCount: 1, pendingCount: 0 }), newEvents: 0 })).toBe(true);
    schedule.listed();
    clock.advance(500);
    // Growing again is an ordinary change: it waits for the interval.
    expect(schedule.due({ deployment: ours({ runningCount: 2, pendingCount: 0 }), newEvents: 0 })).toBe(false);
  });

  test('a change of failedTasks is listed at once, also when it goes back to 0', () => {
    const clock = fakeClock();
    const schedule = new StoppedTaskSchedule(clock, false);
    schedule.due({ deployment: ours(), newEvents: 0 });
    for (const failedTasks of [1, 0, 1]) {
      expect(schedule.due({ deployment: ours({ failedTasks }), newEvents: 0 })).toBe(true);
      schedule.listed();
    }
  });

  test('a task of ours still shutting down is listed again on the next polls, then at the interval', () => {
    const clock = fakeClock();
    const schedule = new StoppedTaskSchedule(clock, true);
    expect(schedule.due({ deployment: ours(), newEvents: 0 })).toBe(true);
    for (let relist = 0; relist < STOPPING_RELISTS; relist++) {
      schedule.listed(1);
      clock.advance(1000);
      expect(schedule.due({ deployment: ours(), newEvents: 0 })).toBe(true);
    }
    schedule.listed(1);
    clock.advance(1000);
    expect(schedule.due({ deployment: ours(), newEvents: 0 })).toBe(false);
    clock.advance(STOPPED_TASKS_INTERVAL_MS - 1000);
    expect(schedule.due({ deployment: ours(), newEvents: 0 })).toBe(true);
  });

  test('tasks still shutting down keep a listing due after the interval', () => {
    const clock = fakeClock();
    const schedule = new StoppedTaskSchedule(clock, true);
    expect(schedule.due({ deployment: ours(), newEvents: 0 })).toBe(true);
    schedule.listed(1);
    clock.advance(STOPPED_TASKS_INTERVAL_MS);
    expect(schedule.due({ deployment: ours(), newEvents: 0 })).toBe(true);
    schedule.listed(0);
    clock.advance(STOPPED_TASKS_INTERVAL_MS);
    expect(schedule.due({ deployment: ours(), newEvents: 0 })).toBe(false);
  });

  test('a listing that was due and did not happen (its read failed) stays due on the next answer, not after the interval', () => {
    const clock = fakeClock();
    const schedule = new StoppedTaskSchedule(clock, false);
    schedule.due({ deployment: ours(), newEvents: 0 });
    expect(schedule.due({ deployment: ours({ runningCount: 1, pendingCount: 1 }), newEvents: 0 })).toBe(true);
    schedule.listed();
    clock.advance(500);
    expect(schedule.due({ deployment: ours({ failedTasks: 1 }), newEvents: 0 })).toBe(true);
    // The round was skipped: no listed(). Nothing changed since, and the interval has not passed again.
    clock.advance(500);
    expect(schedule.due({ deployment: ours({ failedTasks: 1 }), newEvents: 0 })).toBe(true);
    schedule.listed();
    expect(schedule.due({ deployment: ours({ failedTasks: 1 }), newEvents: 0 })).toBe(false);
  });
});

describe('StoppedTaskTracker when a read of its refresh fails', () => {
  const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
  const tracker = () => new StoppedTaskTracker(ecs(), 'prod', 'web', NEW_ID);

  beforeEach(() => {
    ecsMock.reset();
    describing();
  });

  test('the ARNs a listing found are kept when DescribeTasks fails, and described by the next refresh even if its ListTasks fails', async () => {
    ecsMock
      .on(ListTasksCommand)
      .resolvesOnce({ taskArns: [OURS_ARN] })
      .rejects(throttled());
    let describes = 0;
    ecsMock.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => {
      if (++describes === 1) throw throttled();
      return { tasks: input.tasks.map((arn) => (arn === OURS_ARN ? OURS : undefined)) };
    });
    const stopped = tracker();

    await expect(stopped.refresh()).rejects.toThrow('Rate exceeded');
    const tasks = await stopped.refresh();

    expect(tasks.map((task) => task.taskArn)).toEqual([OURS_ARN]);
    expect(stopped.listedNow).toBe(false);
    expect(described()).toEqual([OURS_ARN, OURS_ARN]);
  });

  test('with nothing kept, a failed ListTasks fails the refresh (the round is skipped)', async () => {
    ecsMock.on(ListTasksCommand).rejects(throttled());

    await expect(tracker().refresh()).rejects.toThrow('Rate exceeded');
    expect(described()).toEqual([]);
  });

  test('a refresh whose listing answered says so, and an ARN is described once', async () => {
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [OURS_ARN] });
    const stopped = tracker();

    await stopped.refresh();
    await stopped.refresh();

    expect(stopped.listedNow).toBe(true);
    expect(described()).toEqual([OURS_ARN]);
  });
});

describe('StoppedTaskTracker across pages and batches when one read fails', () => {
  const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
  // A crash loop long enough to list over two pages and describe in two batches.
  const LOOP = Array.from({ length: 150 }, (_, i) => crashedTask(i + 1, 1));
  const LOOP_ARNS = LOOP.map((task) => task.taskArn as string);
  const byArn = new Map(LOOP.map((task) => [task.taskArn as string, task]));

  beforeEach(() => {
    ecsMock.reset();
  });

  test("a listing whose second page fails still describes the first page's ARNs, and says the listing was not whole", async () => {
    let pages = 0;
    ecsMock.on(ListTasksCommand).callsFake((input: { nextToken?: string }) => {
      if (++pages > 1) throw throttled();
      return { taskArns: LOOP_ARNS.slice(0, 100), nextToken: input.nextToken ? undefined : '100' };
    });
    ecsMock.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => ({ tasks: input.tasks.map((arn) => byArn.get(arn)) }));
    const stopped = new StoppedTaskTracker(ecs(), 'prod', 'web', NEW_ID);

    const tasks = await stopped.refresh();

    expect(tasks).toHaveLength(100);
    expect(stopped.listedNow).toBe(false);
  });

  test("a DescribeTasks whose second batch fails returns the first batch's tasks: the next refresh describes only the rest", async () => {
    ecsMock.on(ListTasksCommand).resolves({ taskArns: LOOP_ARNS });
    let batches = 0;
    ecsMock.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => {
      if (++batches === 2) throw throttled();
      return { tasks: input.tasks.map((arn) => byArn.get(arn)) };
    });
    const stopped = new StoppedTaskTracker(ecs(), 'prod', 'web', NEW_ID);

    expect(await stopped.refresh()).toHaveLength(100);
    expect(stopped.listedNow).toBe(false);
    const tasks = await stopped.refresh();

    expect(tasks).toHaveLength(150);
    expect(stopped.listedNow).toBe(true);
    expect(described()).toHaveLength(100 + 50 + 50);
  });
});

import { beforeEach, describe, expect, test } from '@jest/globals';
import { DescribeTasksCommand, ECSClient, ListTasksCommand, type Service } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { explainRollout } from '../src/ecs/diagnosis';
import { STARTUP_HEALTH_INTERVAL_MS, StartupHealthWatch } from '../src/ecs/startup-health-watch';
import { startupKillHint, startupKills, suggestedGraceSeconds } from '../src/ecs/startup-kill-hint';
import { fakeClock } from './support/fake-clock';
import { CLUSTER_ARN, DEPLOYMENT_ID, ELB_REASON, stoppedTask, taskArn } from './support/tasks';

const CONTAINER_REASON = 'Task failed container health checks';
const service: Service = { serviceName: 'web', clusterArn: CLUSTER_ARN, healthCheckGracePeriodSeconds: 10 };
const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, second));
/** A task of the new revision stopped by a health check `killedAfter` seconds after it started (at second 20). */
const killed = (id: string, killedAfter: number, reason = ELB_REASON) =>
  stoppedTask({
    taskArn: taskArn(id),
    stopCode: 'ServiceSchedulerInitiated',
    stoppedReason: reason,
    startedAt: at(20),
    stoppingAt: at(20 + killedAfter),
    stoppedAt: at(20 + killedAfter + 5),
  });

describe('startupKills', () => {
  test('health-check stops count from startedAt to stoppingAt (stoppedAt without it); crashes and healthy-then-failed tasks do not', () => {
    const noStopping = { ...killed('b', 12, CONTAINER_REASON), stoppingAt: undefined };
    const crashed = stoppedTask({ taskArn: taskArn('c') });
    const wasHealthy = killed('d', 40);
    const kills = startupKills([killed('a', 11), noStopping, crashed, wasHealthy], { healthyAfterMs: { [taskArn('d')]: 15_000 } });
    expect(kills.map((kill) => [kill.task.taskArn, kill.killedAfterMs])).toEqual([
      [taskArn('a'), 11_000],
      [taskArn('b'), 17_000],
    ]);
  });

  test('a task that never started is no start-up kill', () => {
    expect(startupKills([{ ...killed('a', 11), startedAt: undefined }])).toEqual([]);
  });
});

describe('suggestedGraceSeconds', () => {
  test('at least the longest kill time, rounded up to the second', () => {
    expect(suggestedGraceSeconds(startupKills([killed('a', 11), killed('b', 13)]))).toBe(13);
    const fraction = { ...killed('c', 0), stoppingAt: new Date(at(20).getTime() + 12_300) };
    expect(suggestedGraceSeconds(startupKills([fraction]))).toBe(13);
  });

  test('the slowest start seen healthy when it is longer than any kill', () => {
    const health = { healthyAfterMs: { [taskArn('x')]: 31_200, [taskArn('y')]: 25_000 } };
    expect(suggestedGraceSeconds(startupKills([killed('a', 11)], health), health)).toBe(32);
  });
});

describe('startupKillHint', () => {
  test('none seen healthy: "at least" the kill time, the grace period now, and the command that sets it', () => {
    const hint = startupKillHint([killed('a', 11), killed('b', 12)], undefined, service);
    expect(hint).toBe(
      'ECS stopped 2 tasks for failed health checks up to 12.0 s after they started, before any of them was seen healthy. ' +
        'If the app was still starting, it needs longer than that: give the service a health check grace period (now 10 s) of at least 12 s, more if it starts slower ' +
        '(aws ecs update-service --cluster prod --service web --health-check-grace-period-seconds 12; it starts no deployment).',
    );
  });

  test('a task seen healthy: the time it took is the figure', () => {
    const hint = startupKillHint([killed('a', 11, CONTAINER_REASON)], { healthyAfterMs: { [taskArn('z')]: 27_500 } }, service);
    expect(hint).toContain('ECS stopped a task for failed health checks 11.0 s after it started, before it was seen healthy');
    expect(hint).toContain('a task of this revision was seen healthy 27.5 s after it started');
    expect(hint).toContain('of at least 28 s (aws ecs update-service');
  });

  test('no health-check stop, or only tasks that were healthy before: no hint', () => {
    expect(startupKillHint([stoppedTask()], undefined, service)).toBeUndefined();
    expect(startupKillHint([killed('d', 40)], { healthyAfterMs: { [taskArn('d')]: 9000 } }, service)).toBeUndefined();
  });

  test("explainRollout carries it after the stopped task's cause", () => {
    const text = explainRollout({
      deploymentId: DEPLOYMENT_ID,
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:8',
      timeoutMs: 60_000,
      outcome: { status: 'failed', reason: 'tasks failed', failedTasks: [killed('a', 11)], events: [], finishedAt: 0, polls: 1, service },
    });
    expect(text).toMatch(
      /the latest because it failed its health checks \(Task failed ELB .*\)\. ECS stopped a task for failed health checks 11\.0 s/,
    );
  });
});

describe('StartupHealthWatch', () => {
  const ecsMock = mockClient(ECSClient);
  beforeEach(() => void ecsMock.reset());

  test('reads nothing until a task was stopped by a health check, then records each task first seen HEALTHY, every few seconds', async () => {
    const clock = fakeClock(at(30).getTime());
    const watch = new StartupHealthWatch({ cluster: 'prod', deploymentId: DEPLOYMENT_ID }, clock);
    const ecs = new ECSClient({ region: 'us-east-1' });
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [taskArn('r')] });
    ecsMock
      .on(DescribeTasksCommand)
      .resolvesOnce({ tasks: [{ taskArn: taskArn('r'), startedAt: at(25), healthStatus: 'UNKNOWN' }] })
      .resolves({ tasks: [{ taskArn: taskArn('r'), startedAt: at(25), healthStatus: 'HEALTHY' }] });

    await watch.poll(ecs, [stoppedTask()]);
    expect(ecsMock.commandCalls(ListTasksCommand)).toHaveLength(0);
    expect(watch.health).toBeUndefined();

    await watch.poll(ecs, [killed('a', 11)]);
    expect(ecsMock.commandCalls(ListTasksCommand)[0].args[0].input).toEqual({ cluster: 'prod', startedBy: DEPLOYMENT_ID });
    expect(watch.health).toEqual({ healthyAfterMs: {} });

    clock.advance(1000);
    await watch.poll(ecs, [killed('a', 11)]);
    expect(ecsMock.commandCalls(ListTasksCommand)).toHaveLength(1);

    clock.advance(STARTUP_HEALTH_INTERVAL_MS);
    await watch.poll(ecs, [killed('a', 11)]);
    // Seen HEALTHY at second 34, 9 s after its start at 25; a later sighting does not move it.
    expect(watch.health).toEqual({ healthyAfterMs: { [taskArn('r')]: 9000 } });
    clock.advance(STARTUP_HEALTH_INTERVAL_MS);
    await watch.poll(ecs, [killed('a', 11)]);
    expect(watch.health).toEqual({ healthyAfterMs: { [taskArn('r')]: 9000 } });
  });

  test('a read that fails is left out and the watch goes on', async () => {
    const watch = new StartupHealthWatch({ cluster: 'prod', deploymentId: DEPLOYMENT_ID }, fakeClock());
    ecsMock.on(ListTasksCommand).rejects(new Error('throttled'));
    await expect(watch.poll(new ECSClient({ region: 'us-east-1' }), [killed('a', 11)])).resolves.toBeUndefined();
    expect(watch.health).toEqual({ healthyAfterMs: {} });
  });
});

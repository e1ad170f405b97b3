import { describe, expect, test } from '@jest/globals';
import { Arns } from '../src/arns';
import { ManualClock } from '../src/clock';
import type { Context } from '../src/context';
import { emptyEcsState, type ClusterRecord, type Json, type TaskDefinitionRecord } from '../src/ecs/state';
import { LogStore } from '../src/logs/state';
import { ScriptedRuntime } from '../src/runtime/scripted';
import { TaskEvents, type TaskEvent } from '../src/tasks/events';
import { launchTask } from '../src/tasks/lifecycle';
import type { TaskOutcome } from '../src/types';

const healthCheck = { command: ['CMD-SHELL', 'exit 0'], interval: 5, retries: 2, timeout: 2, startPeriod: 0 };

/** The task lifecycle on its own: a context with a manual clock and scripted containers, and no scheduler. */
function lifecycleOnly(outcome: TaskOutcome) {
  const clock = new ManualClock(1, 0);
  const runtime = new ScriptedRuntime(clock);
  runtime.script('job:1', outcome);
  const arns = new Arns('us-east-1', '000000000000');
  const ctx = {
    region: 'us-east-1',
    arns,
    clock,
    ecs: emptyEcsState(),
    logs: new LogStore(arns),
    runtime,
    history: [],
    taskEvents: new TaskEvents(),
    kick: () => {},
  } as unknown as Context;
  const events: TaskEvent[] = [];
  ctx.taskEvents.subscribe((event) => events.push(event));
  const cluster = { arn: arns.cluster('jobs'), name: 'jobs' } as ClusterRecord;
  const body: Json = { family: 'job', containerDefinitions: [{ name: 'job', image: 'job:1', essential: true, healthCheck }] };
  const taskDefinition = {
    arn: arns.taskDefinition('job', 1),
    family: 'job',
    revision: 1,
    status: 'ACTIVE',
    body,
    registeredAt: 0,
  } as TaskDefinitionRecord;
  ctx.ecs.taskDefinitions.set('job', [taskDefinition]);
  const task = launchTask(ctx, {
    cluster,
    taskDefinition,
    launchType: 'FARGATE',
    group: 'family:job',
    deploymentId: 'ecs-svc/1234567890123456789',
  });
  return { clock, task, events };
}

describe('the task lifecycle reports on ctx.taskEvents', () => {
  test('running, healthy, then stopped with its stop code, reason, exit code and deployment id', async () => {
    const { clock, task, events } = lifecycleOnly({ kind: 'exit', exitCode: 3, startMs: 500, afterMs: 60_000 });

    await clock.advance(2 * 60_000);

    expect(events.map((e) => e.kind)).toEqual(['running', 'healthy', 'stopped']);
    expect(events.every((e) => e.task === task && e.deploymentId === 'ecs-svc/1234567890123456789')).toBe(true);
    expect(events[2]).toMatchObject({
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      exitCode: 3,
    });
  });

  test("an UNHEALTHY task is reported, not stopped: replacing it is the scheduler's decision", async () => {
    const { clock, task, events } = lifecycleOnly({ kind: 'unhealthy', startMs: 500 });

    await clock.advance(5 * 60_000);

    expect(events.map((e) => e.kind)).toEqual(['running', 'unhealthy']);
    expect(task).toMatchObject({ lastStatus: 'RUNNING', desiredStatus: 'RUNNING', healthStatus: 'UNHEALTHY' });
  });
});

describe('TaskEvents', () => {
  test('tells listeners in the order they subscribed, and no longer after they unsubscribe', () => {
    const bus = new TaskEvents();
    const heard: string[] = [];
    const event = { kind: 'running', task: {} } as TaskEvent;
    bus.subscribe(() => heard.push('first'));
    const unsubscribe = bus.subscribe(() => heard.push('second'));
    bus.emit(event);
    unsubscribe();
    bus.emit(event);
    expect(heard).toEqual(['first', 'second', 'first']);
  });
});

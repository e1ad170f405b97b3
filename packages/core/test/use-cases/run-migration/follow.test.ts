import { describe, expect, test } from '@jest/globals';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTasksCommand, ECSClient, StopTaskCommand, type Task } from '@aws-sdk/client-ecs';
import { SKIPPED_READS_WARNING, silentLogger } from '@ecs-deploy/core/common';
import { mockClient } from 'aws-sdk-client-mock';
import { fakeClock } from '../../support/fake-clock';
import { followTask } from '../../../src/use-cases/run-migration/follow';

const taskArn = 'arn:aws:ecs:us-east-1:123456789012:task/prod/abc';
const running: Task = { taskArn, lastStatus: 'RUNNING' };
const stopped: Task = { taskArn, lastStatus: 'STOPPED', stopCode: 'EssentialContainerExited', containers: [{ name: 'web', exitCode: 0 }] };
const location = { group: '/ecs/web', stream: 'ecs/web/abc' };
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
const serverError = () =>
  Object.assign(new Error('We encountered an internal error.'), {
    name: 'ServerException',
    $fault: 'server',
    $metadata: { httpStatusCode: 500 },
  });

function clients() {
  const ecs = mockClient(ECSClient);
  const logs = mockClient(CloudWatchLogsClient);
  return {
    ecs,
    logs,
    deps: { ecs: ecs as unknown as ECSClient, logs: logs as unknown as CloudWatchLogsClient, log: silentLogger(), clock: fakeClock() },
  };
}

describe('followTask', () => {
  test('prints each log line once while the task runs, and the lines read after the stop', async () => {
    const { ecs, logs, deps } = clients();
    ecs
      .on(DescribeTasksCommand)
      .resolvesOnce({ tasks: [running] })
      .resolvesOnce({ tasks: [running] })
      .resolves({ tasks: [stopped] });
    logs
      .on(GetLogEventsCommand)
      .resolvesOnce({ events: [{ message: 'one' }], nextForwardToken: 'f/1' })
      .resolvesOnce({ events: [], nextForwardToken: 'f/1' })
      .resolvesOnce({ events: [{ message: 'two\n' }], nextForwardToken: 'f/2' })
      .resolvesOnce({ events: [], nextForwardToken: 'f/2' })
      .resolvesOnce({ events: [], nextForwardToken: 'f/2' })
      .resolvesOnce({ events: [{ message: 'late' }], nextForwardToken: 'f/3' })
      .resolves({ events: [], nextForwardToken: 'f/3' });

    const outcome = await followTask({ cluster: 'prod', taskArn, logLocation: location, timeoutMs: 60_000 }, deps);

    expect(outcome.state).toBe('stopped');
    expect(outcome.lines).toEqual(['one', 'two', 'late']);
    expect(deps.log.lines.filter((line) => line.startsWith('| '))).toEqual(['| one', '| two', '| late']);
    expect(ecs.commandCalls(StopTaskCommand)).toHaveLength(0);
  });

  test('on timeout the task is stopped, and followed until it is', async () => {
    const { ecs, logs, deps } = clients();
    logs.on(GetLogEventsCommand).resolves({ events: [], nextForwardToken: 'f/0' });
    let stopRequested = false;
    ecs.on(StopTaskCommand).callsFake(() => {
      stopRequested = true;
      return { task: running };
    });
    ecs.on(DescribeTasksCommand).callsFake(() => ({ tasks: [stopRequested ? { ...stopped, stopCode: 'UserInitiated' } : running] }));

    const outcome = await followTask({ cluster: 'prod', taskArn, logLocation: location, timeoutMs: 5_000 }, deps);

    expect(outcome.state).toBe('timed-out');
    expect(outcome.task?.stopCode).toBe('UserInitiated');
    expect(ecs.commandCalls(StopTaskCommand)[0].args[0].input).toMatchObject({
      cluster: 'prod',
      task: taskArn,
      reason: expect.stringContaining('timeout'),
    });
  });

  test('a cancellation ends following without stopping the task', async () => {
    const { ecs, logs, deps } = clients();
    logs.on(GetLogEventsCommand).resolves({ events: [], nextForwardToken: 'f/0' });
    const controller = new AbortController();
    ecs.on(DescribeTasksCommand).callsFake(() => {
      controller.abort();
      return { tasks: [running] };
    });

    const outcome = await followTask(
      { cluster: 'prod', taskArn, logLocation: location, timeoutMs: 60_000, signal: controller.signal },
      deps,
    );

    expect(outcome.state).toBe('cancelled');
    expect(outcome.task?.lastStatus).toBe('RUNNING');
    expect(ecs.commandCalls(StopTaskCommand)).toHaveLength(0);
  });

  test('a throttled or failed read skips the round: every line once, the same verdict', async () => {
    const { ecs, logs, deps } = clients();
    ecs
      .on(DescribeTasksCommand)
      .resolvesOnce({ tasks: [running] })
      .rejectsOnce(serverError())
      .resolvesOnce({ tasks: [running] })
      .resolves({ tasks: [stopped] });
    logs
      .on(GetLogEventsCommand)
      .resolvesOnce({ events: [{ message: 'one' }], nextForwardToken: 'f/1' })
      .resolvesOnce({ events: [{ message: 'two' }], nextForwardToken: 'f/2' })
      .rejectsOnce(throttled())
      .resolvesOnce({ events: [{ message: 'three' }], nextForwardToken: 'f/3' })
      .rejectsOnce(throttled())
      .resolvesOnce({ events: [{ message: 'last' }], nextForwardToken: 'f/4' })
      .resolves({ events: [], nextForwardToken: 'f/4' });

    const outcome = await followTask({ cluster: 'prod', taskArn, logLocation: location, timeoutMs: 60_000 }, deps);

    expect(outcome.state).toBe('stopped');
    expect(outcome.lines).toEqual(['one', 'two', 'three', 'last']);
    expect(deps.log.lines.filter((line) => line.startsWith('| '))).toEqual(['| one', '| two', '| three', '| last']);
    expect(deps.log.lines.filter((line) => line.startsWith('warning:'))).toEqual([]);
  });

  test('skips that persist are said once, and the task is still followed to its end', async () => {
    const { ecs, logs, deps } = clients();
    let call = 0;
    ecs.on(DescribeTasksCommand).callsFake(() => {
      call += 1;
      if (call <= SKIPPED_READS_WARNING + 3) throw throttled();
      return { tasks: [stopped] };
    });
    logs.on(GetLogEventsCommand).resolves({ events: [], nextForwardToken: 'f/0' });

    const outcome = await followTask({ cluster: 'prod', taskArn, logLocation: location, timeoutMs: 60_000 }, deps);

    expect(outcome.state).toBe('stopped');
    const warnings = deps.log.lines.filter((line) => line.startsWith('warning:'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('throttling (or failing)');
  });

  test("a throttled log read does not keep the task's end from being seen, and the lines it missed are read after", async () => {
    const { ecs, logs, deps } = clients();
    ecs.on(DescribeTasksCommand).resolves({ tasks: [stopped] });
    logs
      .on(GetLogEventsCommand)
      .rejectsOnce(throttled())
      .resolvesOnce({ events: [{ message: 'done' }], nextForwardToken: 'f/1' })
      .resolves({ events: [], nextForwardToken: 'f/1' });

    const outcome = await followTask({ cluster: 'prod', taskArn, logLocation: location, timeoutMs: 60_000 }, deps);

    expect(outcome.state).toBe('stopped');
    expect(outcome.lines).toEqual(['done']);
    expect(ecs.commandCalls(DescribeTasksCommand)).toHaveLength(1);
  });

  test('a non-transient read error is not skipped', async () => {
    const { ecs, logs, deps } = clients();
    ecs.on(DescribeTasksCommand).rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }));
    logs.on(GetLogEventsCommand).resolves({ events: [], nextForwardToken: 'f/0' });
    await expect(followTask({ cluster: 'prod', taskArn, logLocation: location, timeoutMs: 60_000 }, deps)).rejects.toThrow(
      'User is not authorized',
    );
  });

  test("a throttled read after the stop does not cut the migration's last lines off", async () => {
    const { ecs, logs, deps } = clients();
    ecs.on(DescribeTasksCommand).resolves({ tasks: [stopped] });
    logs
      .on(GetLogEventsCommand)
      .resolvesOnce({ events: [{ message: 'one' }], nextForwardToken: 'f/1' })
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .resolvesOnce({ events: [{ message: 'Error: boom' }], nextForwardToken: 'f/2' })
      .resolves({ events: [], nextForwardToken: 'f/2' });

    const outcome = await followTask({ cluster: 'prod', taskArn, logLocation: location, timeoutMs: 60_000 }, deps);

    expect(outcome.lines).toEqual(['one', 'Error: boom']);
  });

  test('on timeout a throttled StopTask is tried again, the retry logged, once the task is read still running', async () => {
    const { ecs, logs, deps } = clients();
    logs.on(GetLogEventsCommand).resolves({ events: [], nextForwardToken: 'f/0' });
    let stopRequested = false;
    ecs
      .on(StopTaskCommand)
      .rejectsOnce(throttled())
      .callsFake(() => {
        stopRequested = true;
        return { task: running };
      });
    ecs.on(DescribeTasksCommand).callsFake(() => ({ tasks: [stopRequested ? { ...stopped, stopCode: 'UserInitiated' } : running] }));

    const outcome = await followTask({ cluster: 'prod', taskArn, logLocation: location, timeoutMs: 5_000 }, deps);

    expect(outcome.state).toBe('timed-out');
    expect(outcome.task?.stopCode).toBe('UserInitiated');
    expect(ecs.commandCalls(StopTaskCommand)).toHaveLength(2);
    expect(deps.log.lines).toContainEqual(
      expect.stringMatching(/^StopTask of migration task abc failed \(ThrottlingException: Rate exceeded\); attempt 2 of 4/),
    );
  });

  test("a cancellation ends the poll interval's sleep at once: following does not wait out the interval", async () => {
    const { ecs, logs, deps } = clients();
    logs.on(GetLogEventsCommand).resolves({ events: [], nextForwardToken: 'f/0' });
    ecs.on(DescribeTasksCommand).resolves({ tasks: [running] });
    const controller = new AbortController();
    // A clock whose sleep ends only on the signal: the runner's SIGINT arrives while following sleeps.
    const clock = {
      now: () => 0,
      sleep: (_ms: number, signal?: Pick<AbortSignal, 'addEventListener' | 'removeEventListener'>) =>
        new Promise<void>((resolve) => {
          signal?.addEventListener('abort', () => resolve(), { once: true });
          queueMicrotask(() => controller.abort());
        }),
    };

    const outcome = await followTask(
      { cluster: 'prod', taskArn, logLocation: location, timeoutMs: 60_000, signal: controller.signal },
      { ...deps, clock },
    );

    expect(outcome.state).toBe('cancelled');
    expect(ecs.commandCalls(DescribeTasksCommand)).toHaveLength(1);
  });
});

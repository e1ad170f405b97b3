import { describe, expect, test } from '@jest/globals';
import { DescribeTasksCommand, ECSClient, StopTaskCommand } from '@aws-sdk/client-ecs';
import { silentLogger } from '@ecs-deploy/core/common';
import { mockClient } from 'aws-sdk-client-mock';
import { fakeClock } from '../../support/fake-clock';
import { answerCancellation } from '../../../src/use-cases/run-migration/cancellation';
import type { MigrationRequest } from '../../../src/use-cases/run-migration/request';
import { stopMigrationTask } from '../../../src/use-cases/run-migration/stop-task';

const taskArn = 'arn:aws:ecs:us-east-1:123456789012:task/prod/abc';
const target = { cluster: 'prod', taskArn, reason: 'run-migration: the timeout was reached' };
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
const dropped = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

function setUp() {
  const ecs = mockClient(ECSClient);
  return { ecs, client: ecs as unknown as ECSClient, log: silentLogger(), clock: fakeClock() };
}

describe('stopMigrationTask', () => {
  test('a StopTask whose connection dropped after it took effect is not sent again: the task is read first, already stopping', async () => {
    const { ecs, client, log, clock } = setUp();
    ecs.on(StopTaskCommand).rejectsOnce(dropped()).resolves({});
    ecs.on(DescribeTasksCommand).resolves({ tasks: [{ taskArn, lastStatus: 'RUNNING', desiredStatus: 'STOPPED' }] });

    await stopMigrationTask(client, target, { log, clock });

    expect(ecs.commandCalls(StopTaskCommand)).toHaveLength(1);
    expect(log.lines).toContainEqual(expect.stringMatching(/^StopTask of migration task abc failed .*attempt 2 of 4/));
    expect(log.lines).toContain('Task abc is already stopping: the StopTask that failed took effect, or the task ended.');
  });

  test('a throttled StopTask is sent again while the task still runs, and the last error is thrown once the attempts are spent', async () => {
    const { ecs, client, log, clock } = setUp();
    ecs.on(StopTaskCommand).rejects(throttled());
    ecs.on(DescribeTasksCommand).resolves({ tasks: [{ taskArn, lastStatus: 'RUNNING', desiredStatus: 'RUNNING' }] });

    await expect(stopMigrationTask(client, target, { log, clock, attempts: 3 })).rejects.toThrow('Rate exceeded');

    expect(ecs.commandCalls(StopTaskCommand)).toHaveLength(3);
    expect(ecs.commandCalls(DescribeTasksCommand)).toHaveLength(2);
  });

  test('a re-read that fails does not keep the StopTask from being tried again', async () => {
    const { ecs, client, log, clock } = setUp();
    ecs.on(StopTaskCommand).rejectsOnce(throttled()).resolves({});
    ecs.on(DescribeTasksCommand).rejects(throttled());

    await stopMigrationTask(client, target, { log, clock });

    expect(ecs.commandCalls(StopTaskCommand)).toHaveLength(2);
  });

  test("stop-on-cancel retries its StopTask although the workflow's cancellation is what asked for it", async () => {
    const { ecs, client, log, clock } = setUp();
    ecs.on(StopTaskCommand).rejectsOnce(throttled()).resolves({});
    ecs.on(DescribeTasksCommand).resolves({ tasks: [{ taskArn, lastStatus: 'RUNNING', desiredStatus: 'RUNNING' }] });
    const request = { cluster: 'prod', region: 'us-east-1', stopOnCancel: true } as MigrationRequest;

    await expect(answerCancellation(client, request, taskArn, undefined, { log, clock })).rejects.toThrow(
      'stop-on-cancel is true, so migration task abc was stopped (StopTask)',
    );

    expect(ecs.commandCalls(StopTaskCommand)).toHaveLength(2);
    expect(ecs.commandCalls(StopTaskCommand)[1].args[0].input.reason).toContain('stop-on-cancel');
    // Quick retries: a cancelled step should end within 3 s.
    expect(clock.slept.every((ms) => ms < 1_000)).toBe(true);
  });
});

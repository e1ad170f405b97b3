import { beforeEach, describe, expect, test } from '@jest/globals';
import { ECSClient, RunTaskCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { ActionFailure, silentLogger } from '../../../src/common';
import { RUN_TASK_ATTEMPTS, startMigrationTask, type MigrationTaskRequest } from '../../../src/use-cases/run-migration/run-task';
import { fakeClock } from '../../support/fake-clock';

const ecsMock = mockClient(ECSClient);
const ecs = () => new ECSClient({ region: 'us-east-1' });
const taskArn = 'arn:aws:ecs:us-east-1:123456789012:task/prod/0123456789abcdef';
const request: MigrationTaskRequest = {
  cluster: 'prod',
  taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3',
  placement: { launchType: 'FARGATE', networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-a'] } } },
  container: 'web',
  environment: [],
  startedBy: 'run-migration/42',
  tags: [],
};
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
const tokens = () => ecsMock.commandCalls(RunTaskCommand).map((call) => call.args[0].input.clientToken);

beforeEach(() => {
  ecsMock.reset();
});

describe('startMigrationTask under throttling', () => {
  test('a throttled RunTask is retried with the same clientToken, each retry said in the log', async () => {
    ecsMock
      .on(RunTaskCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .resolves({ tasks: [{ taskArn }] });
    const log = silentLogger();

    const task = await startMigrationTask(ecs(), request, { log, clock: fakeClock(), random: () => 0.5 });

    expect(task.taskArn).toBe(taskArn);
    expect(tokens()).toHaveLength(3);
    expect(new Set(tokens()).size).toBe(1);
    expect(tokens()[0]).toMatch(/^[\x21-\x7e]{1,64}$/);
    const retries = log.lines.filter((line) => line.startsWith('RunTask of the migration task failed (ThrottlingException'));
    expect(retries).toEqual([
      expect.stringContaining(`attempt 2 of ${RUN_TASK_ATTEMPTS} in 2.0s`),
      expect.stringContaining(`attempt 3 of ${RUN_TASK_ATTEMPTS} in 4.0s`),
    ]);
  });

  test('each migration gets its own clientToken', async () => {
    ecsMock.on(RunTaskCommand).resolves({ tasks: [{ taskArn }] });
    const options = { log: silentLogger(), clock: fakeClock() };

    await startMigrationTask(ecs(), request, options);
    await startMigrationTask(ecs(), request, options);

    expect(new Set(tokens()).size).toBe(2);
  });

  test('a refusal is not retried and says nothing is running', async () => {
    ecsMock
      .on(RunTaskCommand)
      .rejects(
        Object.assign(new Error('subnet is in another VPC'), { name: 'InvalidParameterException', $metadata: { httpStatusCode: 400 } }),
      );

    await expect(startMigrationTask(ecs(), request, { log: silentLogger(), clock: fakeClock() })).rejects.toThrow(ActionFailure);
    expect(tokens()).toHaveLength(1);
  });
});

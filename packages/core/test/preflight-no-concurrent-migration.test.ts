import { beforeEach, describe, expect, test } from '@jest/globals';
import { DescribeTasksCommand, ECSClient, ListTasksCommand, type Task } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { silentLogger } from '../src/common/logger';
import { describeTasks, listTaskArns } from '../src/ecs/task-queries';
import { noConcurrentMigrationCheck } from '../src/preflight/checks/no-concurrent-migration';
import { runPreflight } from '../src/preflight/run';
import { preflightFailure, preflightOf } from './support/preflight';

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: 'us-east-1' });
const TASK = 'arn:aws:ecs:us-east-1:123456789012:task/prod/0123456789abcdef0123456789abcdef';
const PREFIX = 'run-migration/';

/** The look-up run-migration gives the check: its own RUNNING tasks of the family, as the mocked ECS answers them. */
const running = async (): Promise<Task[]> => {
  const tasks = await describeTasks(ecs, 'prod', await listTaskArns(ecs, { cluster: 'prod', family: 'orders', desiredStatus: 'RUNNING' }));
  return tasks.filter((task) => task.startedBy?.startsWith(PREFIX));
};
const check = () => noConcurrentMigrationCheck({ cluster: 'prod', family: 'orders', running });

beforeEach(() => {
  ecsMock.reset();
  ecsMock.on(ListTasksCommand).resolves({ taskArns: [TASK] });
});

describe('noConcurrentMigrationCheck', () => {
  test('passes when no migration of the family runs', async () => {
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [{ taskArn: TASK, lastStatus: 'RUNNING', startedBy: 'ecs-svc/123' }] });
    expect((await preflightOf(check())).rows[0]).toMatchObject({
      status: 'pass',
      message: 'no other migration of family orders is running in cluster prod',
    });
  });

  test("fails with today's refusal while another migration runs", async () => {
    ecsMock.on(DescribeTasksCommand).resolves({
      tasks: [{ taskArn: TASK, lastStatus: 'RUNNING', startedBy: 'run-migration/42', createdAt: new Date('2026-01-01T00:00:00Z') }],
    });
    const error = await preflightFailure(check());
    expect(error.message).toBe(
      'Another migration of task definition family orders is still running in cluster prod: task 0123456789abcdef0123456789abcdef (RUNNING, started by run-migration/42 at 2026-01-01T00:00:00.000Z). ' +
        `Nothing was started. Wait for it to finish, or stop it (aws ecs stop-task --cluster prod --task ${TASK}), ` +
        "or set 'allow-concurrent: true' if these migrations may run side by side.",
    );
  });

  test("protects: under mode 'off' it still runs and fails", async () => {
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [{ taskArn: TASK, lastStatus: 'PENDING', startedBy: 'run-migration/42' }] });
    await expect(runPreflight([check()], { log: silentLogger(), mode: 'off' })).rejects.toThrow(
      /^Another migration of task definition family orders is still running/,
    );
  });
});

import { beforeEach, describe, expect, test } from '@jest/globals';
import { DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { silentLogger } from '../src/common/logger';
import { revisionActiveCheck, ROLLBACK_REVISION_ADVICE } from '../src/preflight/checks/revision-active';
import { runPreflight } from '../src/preflight/run';
import { preflightFailure, preflightOf } from './support/preflight';

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: 'us-east-1' });
const ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/api:2';
const forRollback = (reference: string) => revisionActiveCheck({ ecs, reference, region: 'us-east-1', advice: ROLLBACK_REVISION_ADVICE });
const forMigration = (reference: string) => revisionActiveCheck({ ecs, reference, region: 'us-east-1', requireActive: false });
const unknownRevision = () =>
  ecsMock
    .on(DescribeTaskDefinitionCommand)
    .rejects(Object.assign(new Error('Unable to describe task definition.'), { name: 'ClientException' }));

beforeEach(() => {
  ecsMock.reset();
});

describe('revisionActiveCheck', () => {
  test('an ACTIVE revision passes, and the described revision is handed on', async () => {
    ecsMock.on(DescribeTaskDefinitionCommand).resolves({
      taskDefinition: { taskDefinitionArn: ARN, family: 'api', revision: 2, status: 'ACTIVE' },
      tags: [{ key: 'team', value: 'a' }],
    });
    const c = forRollback('api:2');
    const report = await preflightOf(c);
    expect(report.rows[0]).toMatchObject({ status: 'pass', message: 'api:2 is ACTIVE' });
    expect(report.valueOf(c)).toEqual({
      definition: expect.objectContaining({ taskDefinitionArn: ARN }),
      tags: [{ key: 'team', value: 'a' }],
    });
  });

  test("an INACTIVE revision fails with auto-rollback's message", async () => {
    ecsMock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: ARN, status: 'INACTIVE' } });
    const error = await preflightFailure(forRollback(ARN));
    expect(error.message).toBe(
      `Input 'task-definition': ${ARN} is INACTIVE, and ECS does not update a service to a revision that is not ACTIVE. ` +
        'Register it again (it gets a new revision number) and roll back to that. Nothing was changed.',
    );
    expect(error.input).toBe('task-definition');
  });

  test("a revision that does not exist fails with auto-rollback's message", async () => {
    unknownRevision();
    expect((await preflightFailure(forRollback('api:99'))).message).toBe(
      'Input \'task-definition\': there is no task definition "api:99" in us-east-1 (Unable to describe task definition.). ' +
        "Give a registered revision, normally deploy-ecs's previous-task-definition-arn output. Nothing was changed.",
    );
  });

  test("for a one-off task, a revision that does not exist fails with run-migration's message", async () => {
    unknownRevision();
    expect((await preflightFailure(forMigration('ghost:7'))).message).toBe(
      'Input \'task-definition\': there is no task definition "ghost:7" in us-east-1 (Unable to describe task definition.).',
    );
  });

  test('for a one-off task, an INACTIVE revision is not refused, as run-migration does not refuse it today', async () => {
    ecsMock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: ARN, status: 'INACTIVE' } });
    const report = await preflightOf(forMigration(ARN));
    expect(report.rows[0]).toMatchObject({ id: 'revision-exists', status: 'pass', message: 'api:2 is INACTIVE' });
  });

  test("protects: a failure stays a failure under mode 'warn', and a denied look-up fails", async () => {
    ecsMock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: ARN, status: 'INACTIVE' } });
    await expect(runPreflight([forRollback(ARN)], { log: silentLogger(), mode: 'warn' })).rejects.toThrow(/is INACTIVE/);
    ecsMock
      .on(DescribeTaskDefinitionCommand)
      .rejects(
        Object.assign(new Error('User is not authorized to perform: ecs:DescribeTaskDefinition'), { name: 'AccessDeniedException' }),
      );
    const thrown = await runPreflight([forRollback(ARN)], { log: silentLogger() }).catch((e: unknown) => e);
    expect((thrown as Error).name).toBe('AccessDeniedException');
  });
});

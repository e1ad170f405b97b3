import { beforeAll, describe as group, expect, test } from '@jest/globals';
import { DeregisterTaskDefinitionCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { mutatingCalls } from '../support/bad-input';
import { createService, ecsClient, registerLike, REGISTRY } from '../support/ecs-fixtures';
import { errorsOf, runBundledAction } from '../support/run-action';
import { useSandbox } from '../support/use-sandbox';

// ECS runs no new task of an INACTIVE revision (DeregisterTaskDefinition, API reference): run-migration refuses to
// run one as it is before any change, and takes one as the base of the new revision an image makes.
const sandbox = useSandbox({ timeScale: 0.2 });
const ecs = () => ecsClient(sandbox);
const migrate = (inputs: Record<string, string>) =>
  runBundledAction('run-migration', { cluster: 'prod', service: 'ledger', command: 'migrate', ...inputs }, { env: sandbox.env() });

let inactive: string;
beforeAll(async () => {
  const { taskDefinitionArn } = await createService(sandbox, { service: 'ledger', image: `${REGISTRY}/ledger:v1`, desiredCount: 1 });
  inactive = await registerLike(sandbox, taskDefinitionArn, `${REGISTRY}/ledger:v0`);
  await ecs().send(new DeregisterTaskDefinitionCommand({ taskDefinition: inactive }));
  for (const tag of ['v0', 'v2'])
    sandbox.script(`${REGISTRY}/ledger:${tag}`, { kind: 'exit', exitCode: 0, afterMs: 100, logs: ['migrated'] });
});

group('run-migration and an INACTIVE revision', () => {
  test('run as it is (no image): refused before any change, naming the input and what to do', async () => {
    const callsBefore = sandbox.calls.length;

    const run = await migrate({ 'task-definition': inactive });

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run).join('\n')).toContain(
      `Input 'task-definition': ${inactive} is INACTIVE, and ECS runs no new task of a revision that is not ACTIVE: give an image`,
    );
    expect(mutatingCalls(sandbox.calls.slice(callsBefore))).toEqual([]);
  });

  test('the base of a new revision (an image given): the migration runs on a new ACTIVE revision', async () => {
    const run = await migrate({ 'task-definition': inactive, image: `${REGISTRY}/ledger:v2` });

    expect(errorsOf(run)).toEqual([]);
    expect(run.exitCode).toBe(0);
    const ran = run.outputs['task-definition-arn'];
    expect(ran).not.toBe(inactive);
    const { taskDefinition } = await ecs().send(new DescribeTaskDefinitionCommand({ taskDefinition: ran }));
    expect(taskDefinition).toMatchObject({
      status: 'ACTIVE',
      containerDefinitions: [expect.objectContaining({ image: `${REGISTRY}/ledger:v2` })],
    });
  });
});

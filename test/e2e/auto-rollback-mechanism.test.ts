import { expect, test } from '@jest/globals';
import { runBundledAction } from '../support/run-action';
import { RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { createService, describe as describeService, ecsClient, REGISTRY } from '../support/ecs-fixtures';
import { useSandbox } from '../support/use-sandbox';

// Scripted tasks, so the release can be held in progress long enough for the rollback to meet it there.
const sandbox = useSandbox({ timeScale: 0.2 });

test('a release still in progress is stopped with ROLLBACK, and ECS returns to the last completed revision', async () => {
  const { cluster, service, taskDefinitionArn: v1 } = await createService(sandbox, { service: 'search', image: `${REGISTRY}/search:v1` });
  // The release's tasks take 60 s (12 s here) to start: the deployment is still IN_PROGRESS when the rollback comes.
  sandbox.script(`${REGISTRY}/search:v2`, { kind: 'healthy', startMs: 60_000 });
  const release = await runBundledAction(
    'deploy-ecs',
    { cluster, service, image: `${REGISTRY}/search:v2`, wait: 'false' },
    { env: sandbox.env() },
  );
  expect(release.outputs.status).toBe('registered');

  const run = await runBundledAction('auto-rollback', { cluster, service, reason: 'smoke test failed' }, { env: sandbox.env() });

  expect(run.exitCode).toBe(0);
  expect(run.outputs['rolled-back']).toBe('true');
  expect(run.outputs['task-definition-arn']).toBe(v1);
  expect(run.log).toMatch(/StopServiceDeployment \(ROLLBACK\) of service deployment \S+, still in progress/);
  expect(sandbox.calls.filter((call) => call.operation === 'StopServiceDeployment')).toHaveLength(1);
  const settled = await describeService(sandbox, cluster, service);
  expect(settled.taskDefinition).toBe(v1);
  expect(settled.deployments).toEqual([expect.objectContaining({ taskDefinition: v1, rolloutState: 'COMPLETED' })]);
  // Well before the release's tasks could even have started.
  expect(run.finishedAt - release.finishedAt).toBeLessThan(12_000);
});

test('with wait false the rollback is started and not watched', async () => {
  const { cluster, service, taskDefinitionArn: v1 } = await createService(sandbox, { service: 'media', image: `${REGISTRY}/media:v1` });
  const release = await runBundledAction('deploy-ecs', { cluster, service, image: `${REGISTRY}/media:v2` }, { env: sandbox.env() });
  expect(release.outputs.status).toBe('succeeded');

  const run = await runBundledAction(
    'auto-rollback',
    { cluster, service, 'task-definition': 'media:1', wait: 'false' },
    { env: sandbox.env() },
  );

  expect(run.exitCode).toBe(0);
  expect(run.outputs['rolled-back']).toBe('true');
  expect(run.outputs['task-definition-arn']).toBe(v1);
  expect(run.log).toContain('wait is false');
  expect((await describeService(sandbox, cluster, service)).deployments?.[0]).toEqual(
    expect.objectContaining({ taskDefinition: v1, rolloutState: 'IN_PROGRESS' }),
  );
});

test('a target of another family is honoured, with a warning that says so', async () => {
  const { cluster, service } = await createService(sandbox, { service: 'cart', image: `${REGISTRY}/cart:v1` });
  const legacy = await ecsClient(sandbox).send(
    new RegisterTaskDefinitionCommand({
      family: 'cart-legacy',
      executionRoleArn: `arn:aws:iam::${sandbox.accountId}:role/ecsTaskExecutionRole`,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'cart', image: `${REGISTRY}/cart:v0`, essential: true }],
    }),
  );

  const run = await runBundledAction(
    'auto-rollback',
    { cluster, service, 'task-definition': 'cart-legacy:1', wait: 'false' },
    { env: sandbox.env() },
  );

  expect(run.exitCode).toBe(0);
  expect(run.outputs['task-definition-arn']).toBe(legacy.taskDefinition?.taskDefinitionArn);
  expect(run.lines.filter((line) => line.text.startsWith('::warning'))).toEqual([
    expect.objectContaining({ text: expect.stringContaining('The target cart-legacy:1 is of another family than the service') }),
  ]);
});

import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { start, type Sandbox } from '@ecs-deploy/sandbox';
import { runBundledAction } from '../support/run-action';
import { createService, describe as describeService, REGISTRY } from '../support/ecs-fixtures';

// Scripted tasks, so the release can be held in progress long enough for the rollback to meet it there.
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await start({ timeScale: 0.2 });
});
afterAll(async () => {
  await sandbox?.stop();
});

test('a release still in progress is stopped with ROLLBACK, and ECS returns to the last completed revision', async () => {
  const { cluster, service, taskDefinitionArn: v1 } = await createService(sandbox, { service: 'search', image: `${REGISTRY}/search:v1` });
  // The release's tasks take 60 s (12 s here) to start: the deployment is still IN_PROGRESS when the rollback comes.
  sandbox.script(`${REGISTRY}/search:v2`, { kind: 'healthy', startMs: 60_000 });
  const release = await runBundledAction('deploy-ecs', { cluster, service, image: `${REGISTRY}/search:v2`, wait: 'false' }, { env: sandbox.env() });
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

  const run = await runBundledAction('auto-rollback', { cluster, service, 'task-definition': 'media:1', wait: 'false' }, { env: sandbox.env() });

  expect(run.exitCode).toBe(0);
  expect(run.outputs['rolled-back']).toBe('true');
  expect(run.outputs['task-definition-arn']).toBe(v1);
  expect(run.log).toContain('wait is false');
  expect((await describeService(sandbox, cluster, service)).deployments?.[0]).toEqual(expect.objectContaining({ taskDefinition: v1, rolloutState: 'IN_PROGRESS' }));
});

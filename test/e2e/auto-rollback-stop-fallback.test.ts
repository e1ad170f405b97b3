import { afterAll, afterEach, beforeAll, expect, test } from '@jest/globals';
import { ListServiceDeploymentsCommand, StopServiceDeploymentCommand } from '@aws-sdk/client-ecs';
import { start, type Sandbox } from '@ecs-deploy/sandbox';
import { runBundledAction } from '../support/run-action';
import { createService, describe as describeService, ecsClient, REGISTRY } from '../support/ecs-fixtures';

// When StopServiceDeployment fails, what ECS did decides: an UpdateService only when ECS is not rolling back.
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await start({ timeScale: 0.2 });
});
afterEach(() => {
  sandbox.setFaults(undefined);
});
afterAll(async () => {
  await sandbox?.stop();
});

/** A service on v1 with v2 being released: its tasks take 60 s (12 s here) to start, so the release is still in progress. */
async function releaseInProgress(name: string) {
  const created = await createService(sandbox, { service: name, image: `${REGISTRY}/${name}:v1` });
  sandbox.script(`${REGISTRY}/${name}:v2`, { kind: 'healthy', startMs: 60_000 });
  const release = await runBundledAction(
    'deploy-ecs',
    { cluster: created.cluster, service: name, image: `${REGISTRY}/${name}:v2`, wait: 'false' },
    { env: sandbox.env() },
  );
  expect(release.outputs.status).toBe('registered');
  return created;
}

const callsSince = (from: number, operation: string) => sandbox.calls.slice(from).filter((call) => call.operation === operation);

/** Waits until the condition holds, checking every 20 ms: a call arriving at the sandbox is not an event it emits. */
async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('a role without ecs:StopServiceDeployment: AccessDenied, so UpdateService to the target, saying why', async () => {
  const { cluster, service, taskDefinitionArn: v1 } = await releaseInProgress('ledger');
  sandbox.setFaults({ refuseWith: 'AccessDeniedException', operations: ['StopServiceDeployment'] });
  const from = sandbox.calls.length;

  const run = await runBundledAction('auto-rollback', { cluster, service, reason: 'smoke test failed' }, { env: sandbox.env() });

  expect(run.exitCode).toBe(0);
  expect(run.outputs['rolled-back']).toBe('true');
  expect(run.outputs['task-definition-arn']).toBe(v1);
  expect(run.log).toMatch(
    /ECS did not stop service deployment \S+ \(AccessDeniedException: .*\): the role may not call ecs:StopServiceDeployment/,
  );
  expect(run.log).toContain('with UpdateService to ledger:1');
  expect(callsSince(from, 'StopServiceDeployment')).toEqual([expect.objectContaining({ fault: 'refused' })]);
  expect(callsSince(from, 'UpdateService')).toHaveLength(1);
  const settled = await describeService(sandbox, cluster, service);
  expect(settled.deployments).toEqual([expect.objectContaining({ taskDefinition: v1, rolloutState: 'COMPLETED' })]);
});

test('the stop is refused, but the rollback was requested meanwhile: auto-rollback waits on it and never calls UpdateService', async () => {
  const { cluster, service, taskDefinitionArn: v1 } = await releaseInProgress('billing');
  const listed = await ecsClient(sandbox).send(new ListServiceDeploymentsCommand({ cluster, service, status: ['IN_PROGRESS'] }));
  const release = listed.serviceDeployments?.[0]?.serviceDeploymentArn as string;
  // auto-rollback's stop is held for a moment on its way back, refused; meanwhile someone with the permission
  // (a person, an alarm) stops the release with ROLLBACK.
  sandbox.setFaults({ refuseWith: 'AccessDeniedException', operations: ['StopServiceDeployment'], latencyMs: 1_500 });
  const from = sandbox.calls.length;

  const running = runBundledAction('auto-rollback', { cluster, service, reason: 'smoke test failed' }, { env: sandbox.env() });
  await until(() => callsSince(from, 'StopServiceDeployment').some((call) => call.fault === 'refused'));
  sandbox.setFaults(undefined);
  await ecsClient(sandbox).send(new StopServiceDeploymentCommand({ serviceDeploymentArn: release, stopType: 'ROLLBACK' }));
  const run = await running;

  expect(run.exitCode).toBe(0);
  expect(run.outputs['rolled-back']).toBe('true');
  expect(run.outputs['task-definition-arn']).toBe(v1);
  expect(run.log).toMatch(/answered AccessDeniedException: .*, but service deployment \S+ is ROLLBACK_\w+: the rollback is under way/);
  expect(callsSince(from, 'UpdateService')).toHaveLength(0);
  const settled = await describeService(sandbox, cluster, service);
  expect(settled.deployments).toEqual([expect.objectContaining({ taskDefinition: v1, rolloutState: 'COMPLETED' })]);
});

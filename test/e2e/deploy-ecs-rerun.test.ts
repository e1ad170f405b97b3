import { describe as group, expect, test } from '@jest/globals';
import { runBundledAction } from '../support/run-action';
import { createService, describe, REGISTRY } from '../support/ecs-fixtures';
import { useSandbox } from '../support/use-sandbox';

// A deploy that runs again on a service it already changed: GitHub's "Re-run failed jobs", or the next push with
// the same image. The rendered definition equals the service's, so nothing new is registered; what the step says
// must still be what the service does. Here the earlier run's deployment is still rolling out, or settled; after a
// failed one, in deploy-ecs-rerun-after-failure.test.ts.
const sandbox = useSandbox({ timeScale: 0.2 });

const deploy = (inputs: Record<string, string>) => runBundledAction('deploy-ecs', inputs, { env: sandbox.env() });

/** The operations the sandbox answered since `from` (an index into its call log). */
const operationsSince = (from: number) => sandbox.calls.slice(from).map((call) => call.operation);

group('deploy-ecs run again on the same definition', () => {
  test("while the earlier run's deployment is still rolling out, the re-run watches it to its verdict", async () => {
    const { cluster, service } = await createService(sandbox, { service: 'ticker', image: `${REGISTRY}/ticker:v1` });
    const slow = `${REGISTRY}/ticker:v2`;
    sandbox.script(slow, { kind: 'healthy', startMs: 15_000 });
    const first = await deploy({ cluster, service, image: slow, wait: 'false' });
    expect(first.outputs.status).toBe('registered');

    const callsBefore = sandbox.calls.length;
    const rerun = await deploy({ cluster, service, image: slow });

    expect(rerun.exitCode).toBe(0);
    expect(rerun.outputs.status).toBe('succeeded');
    expect(rerun.outputs['deployment-id']).toBe(first.outputs['deployment-id']);
    expect(rerun.log).toContain(`deployment ${first.outputs['deployment-id']} of ticker:2 is still in progress`);
    expect(operationsSince(callsBefore)).not.toContain('UpdateService');
    // "succeeded" means the service is settled on the revision when the step returns, not some time later.
    const live = await describe(sandbox, cluster, service);
    expect(live.deployments?.map((d) => [d.id, d.rolloutState])).toEqual([[first.outputs['deployment-id'], 'COMPLETED']]);
    expect(live.runningCount).toBe(live.desiredCount);
  });

  test('on a settled service, the re-run succeeds and calls no UpdateService', async () => {
    const image = `${REGISTRY}/atlas:v1`;
    const { cluster, service, taskDefinitionArn } = await createService(sandbox, { service: 'atlas', image });

    const callsBefore = sandbox.calls.length;
    const rerun = await deploy({ cluster, service, image });

    expect(rerun.exitCode).toBe(0);
    expect(rerun.outputs.status).toBe('succeeded');
    expect(rerun.outputs['previous-task-definition-arn']).toBe(taskDefinitionArn);
    expect(rerun.log).toMatch(/settled on atlas:1 \(deployment ecs-svc\/\d+ COMPLETED, 2\/2 running\): nothing to deploy/);
    expect(operationsSince(callsBefore)).not.toContain('UpdateService');
  });

  test('on a settled service, a desired-count change alone scales it without a new deployment', async () => {
    const image = `${REGISTRY}/orbit:v1`;
    const { cluster, service } = await createService(sandbox, { service: 'orbit', image });
    const before = (await describe(sandbox, cluster, service)).deployments?.map((d) => d.id);

    const rerun = await deploy({ cluster, service, image, 'desired-count': '3' });

    expect(rerun.exitCode).toBe(0);
    expect(rerun.outputs.status).toBe('succeeded');
    expect(rerun.log).toContain('desired count set from 2 to 3 without a new deployment');
    const live = await describe(sandbox, cluster, service);
    expect(live.desiredCount).toBe(3);
    expect(live.deployments?.map((d) => d.id)).toEqual(before);
  });
});

import { describe as group, expect, test } from '@jest/globals';
import { type Service } from '@aws-sdk/client-ecs';
import { errorsOf, runBundledAction } from '../support/run-action';
import { createService, describe, REGISTRY, scaleToZero, waitForSteady } from '../support/ecs-fixtures';
import { useSandbox } from '../support/use-sandbox';

// deploy-ecs run again on the same definition (deploy-ecs-rerun.test.ts) after the earlier run's deployment failed:
// the re-run must not call it a success, and says how to deploy the revision again.
const sandbox = useSandbox({ timeScale: 0.2 });

const deploy = (inputs: Record<string, string>) => runBundledAction('deploy-ecs', inputs, { env: sandbox.env() });
const rollback = (inputs: Record<string, string>) => runBundledAction('auto-rollback', inputs, { env: sandbox.env() });

const breakerWithoutRollback = {
  minimumHealthyPercent: 100,
  maximumPercent: 200,
  deploymentCircuitBreaker: { enable: true, rollback: false },
};
const primaryOf = (service: Service) => service.deployments?.find((d) => d.status === 'PRIMARY');

/** The operations the sandbox answered since `from` (an index into its call log). */
const operationsSince = (from: number) => sandbox.calls.slice(from).map((call) => call.operation);

// Without a circuit breaker, deploy-ecs's own failed-tasks-threshold calls a crash loop and ECS keeps the deployment
// IN_PROGRESS: Deployment.rolloutState turns FAILED only with the circuit breaker on (ECS API reference).
group('deploy-ecs run again on the same definition', () => {
  test('after a deploy that failed, the re-run fails too and names the deployment that is still failing', async () => {
    const { cluster, service } = await createService(sandbox, { service: 'ledger', image: `${REGISTRY}/ledger:v1` });
    const broken = `${REGISTRY}/ledger:v2`;
    sandbox.script(broken, { kind: 'exit', exitCode: 4, afterMs: 200, logs: ['fatal: LEDGER_KEY is not set'] });
    const first = await deploy({ cluster, service, image: broken, 'failed-tasks-threshold': '2' });
    expect(first.outputs.status).toBe('failed');

    const callsBefore = sandbox.calls.length;
    const rerun = await deploy({ cluster, service, image: broken, 'failed-tasks-threshold': '2' });

    expect(rerun.exitCode).toBe(1);
    expect(rerun.outputs.status).toBe('failed');
    expect(rerun.outputs['deployment-id']).toBe(first.outputs['deployment-id']);
    const [message] = errorsOf(rerun).slice(-1);
    expect(message).toContain(`Deployment ${first.outputs['deployment-id']} of ledger:2 failed`);
    expect(message).toContain('started before this step');
    expect(message).toContain('exited with code 4');
    expect(message).toContain('force-new-deployment: true');
    expect(operationsSince(callsBefore)).not.toContain('UpdateService');
    await scaleToZero(sandbox, cluster, service);
  });

  test("after ECS's circuit breaker marked the deployment FAILED (no rollback), the re-run fails at once and says how to deploy it again", async () => {
    const { cluster, service } = await createService(sandbox, {
      service: 'relay',
      image: `${REGISTRY}/relay:v1`,
      deploymentConfiguration: breakerWithoutRollback,
    });
    const unpullable = `${REGISTRY}/relay:v2`;
    sandbox.script(unpullable, { kind: 'cannot-start' });
    const first = await deploy({ cluster, service, image: unpullable });
    expect(first.outputs.status).toBe('failed');
    expect(primaryOf(await describe(sandbox, cluster, service))?.rolloutState).toBe('FAILED');

    const callsBefore = sandbox.calls.length;
    const rerun = await deploy({ cluster, service, image: unpullable });

    expect(rerun.exitCode).toBe(1);
    expect(rerun.outputs.status).toBe('failed');
    expect(rerun.outputs['deployment-id']).toBe(first.outputs['deployment-id']);
    const [message] = errorsOf(rerun).slice(-1);
    expect(message).toContain(
      `Deployment ${first.outputs['deployment-id']} of relay:2 failed before this step: ECS deployment circuit breaker`,
    );
    expect(message).toContain('Set force-new-deployment: true to deploy relay:2 again');
    expect(operationsSince(callsBefore)).not.toContain('UpdateService');
  });

  test('with force-new-deployment: true, the re-run deploys the FAILED revision again', async () => {
    const { cluster, service } = await createService(sandbox, {
      service: 'beacon',
      image: `${REGISTRY}/beacon:v1`,
      deploymentConfiguration: breakerWithoutRollback,
    });
    const flaky = `${REGISTRY}/beacon:v2`;
    sandbox.script(flaky, { kind: 'cannot-start' });
    const first = await deploy({ cluster, service, image: flaky });
    expect(first.outputs.status).toBe('failed');
    // What the revision depended on is fixed (the image is there now): deploying the same revision again works.
    sandbox.script(flaky, { kind: 'healthy' });

    const rerun = await deploy({ cluster, service, image: flaky, 'force-new-deployment': 'true' });

    expect(rerun.exitCode).toBe(0);
    expect(rerun.outputs.status).toBe('succeeded');
    expect(rerun.outputs['deployment-id']).not.toBe(first.outputs['deployment-id']);
    expect(rerun.outputs['task-definition-arn']).toBe(first.outputs['task-definition-arn']);
  });

  test('after a failed deploy left unrolled back, previous-task-definition-arn is the older working revision, and auto-rollback returns the service to it', async () => {
    const {
      cluster,
      service,
      taskDefinitionArn: working,
    } = await createService(sandbox, { service: 'vault', image: `${REGISTRY}/vault:v1` });
    const broken = `${REGISTRY}/vault:v2`;
    sandbox.script(broken, { kind: 'exit', exitCode: 1, afterMs: 200, logs: ['panic: bad config'] });
    const failed = await deploy({ cluster, service, image: broken, 'failed-tasks-threshold': '2' });
    expect(failed.outputs.status).toBe('failed');
    // Nobody rolled back: the broken revision is the service's, while v1's tasks keep serving.
    expect((await describe(sandbox, cluster, service)).taskDefinition).toBe(failed.outputs['task-definition-arn']);

    const next = await deploy({ cluster, service, image: `${REGISTRY}/vault:v3` });
    expect(next.outputs.status).toBe('succeeded');
    expect(next.outputs['previous-task-definition-arn']).toBe(working);

    // verify-health found v3 bad: the workflow hands previous-task-definition-arn to auto-rollback.
    const back = await rollback({
      cluster,
      service,
      'task-definition': next.outputs['previous-task-definition-arn'],
      reason: 'verify-health failed',
    });
    expect(back.exitCode).toBe(0);
    expect(back.outputs['rolled-back']).toBe('true');
    const settled = await waitForSteady(sandbox, cluster, service);
    expect(settled.taskDefinition).toBe(working);
  });
});

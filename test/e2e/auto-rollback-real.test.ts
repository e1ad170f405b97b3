import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { ListServiceDeploymentsCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import type { CatalogEntry, Sandbox } from '@ecs-deploy/sandbox';
import { createService, describe as describeService, ecsClient, waitForSteady } from '../support/ecs-fixtures';
import { errorsOf, runBundledAction, type ActionRun } from '../support/run-action';
import { SAMPLE_REPOSITORY, sampleContainer, sampleServiceEntry } from '../support/sample-service';
import { servedVersions, startSampleStack, type SampleStack } from '../support/sample-stack';

// auto-rollback chained after deploy-ecs as a workflow chains them (outputs feeding inputs), against tasks that
// are real processes of the sample service.
let stack: SampleStack;
let sandbox: Sandbox;
let database: SampleStack['database'];

/** A second repository whose image a test can "re-push" broken, by changing its catalog entry in place. */
const LEGACY_REPOSITORY = '123456789012.dkr.ecr.us-east-1.amazonaws.com/sample-legacy';
const legacy: CatalogEntry = sampleServiceEntry();

const breaker = { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: true } };

beforeAll(async () => {
  stack = await startSampleStack({ timeScale: 0.1, catalog: { [SAMPLE_REPOSITORY]: sampleServiceEntry(), [LEGACY_REPOSITORY]: legacy } });
  ({ sandbox, database } = stack);
});
afterAll(async () => {
  await stack?.stop();
});

const deploy = (inputs: Record<string, string>) => runBundledAction('deploy-ecs', inputs, { env: sandbox.env() });
const rollback = (inputs: Record<string, string>) => runBundledAction('auto-rollback', inputs, { env: sandbox.env() });
const callsOf = (operation: string) => sandbox.calls.filter((call) => call.operation === operation).length;

async function goodRelease(name: string, image = `${SAMPLE_REPOSITORY}:v1`) {
  const created = await createService(sandbox, {
    service: name,
    image,
    deploymentConfiguration: breaker,
    containers: [sampleContainer(name, database.url, { image })],
  });
  const v2 = await deploy({ cluster: created.cluster, service: name, image: `${SAMPLE_REPOSITORY}:v2` });
  expect(v2.outputs.status).toBe('succeeded');
  expect(await servedVersions(sandbox, created.cluster, name)).toEqual(['v2', 'v2']);
  return { ...created, v2 };
}

function notices(run: ActionRun): string[] {
  return run.lines.filter((line) => line.text.startsWith('::notice')).map((line) => line.text.replace(/^::notice[^:]*::/, ''));
}

describe('auto-rollback with real processes', () => {
  test('deploy-ecs v2 succeeded but is bad: rolled back to previous-task-definition-arn, and every task serves v1 again', async () => {
    const { cluster, service, taskDefinitionArn: v1, v2 } = await goodRelease('orders');

    const callsBefore = sandbox.calls.length;
    const run = await rollback({
      cluster,
      service,
      'task-definition': v2.outputs['previous-task-definition-arn'],
      reason: 'verify-health failed',
    });

    expect(run.exitCode).toBe(0);
    expect(run.outputs['rolled-back']).toBe('true');
    expect(run.outputs['task-definition-arn']).toBe(v1);
    expect(Number(run.outputs['duration-seconds'])).toBeGreaterThan(0);
    expect(await servedVersions(sandbox, cluster, service)).toEqual(['v1', 'v1']);
    const settled = await describeService(sandbox, cluster, service);
    expect(settled.taskDefinition).toBe(v1);
    expect(settled.deployments).toHaveLength(1);
    expect(notices(run)).toEqual([
      expect.stringMatching(
        /^Rolled back orders \(orders:2 → orders:1\) in .* with UpdateService to orders:1\. Reason: verify-health failed\.$/,
      ),
    ]);
    expect(run.summary).toContain('verify-health failed');
    expect(run.summary).toMatch(/\| From \| orders:2 \|/);
    expect(run.summary).toMatch(/\| To \| orders:1, chosen by the 'task-definition' input \|/);
    expect(run.summary).toMatch(
      /deployment of orders:2 started[\s\S]*UpdateService to orders:1 \(reason: verify-health failed\)[\s\S]*verdict: rolled-back/,
    );
    // v1's stopped tasks are listed before UpdateService creates the rollback deployment: the watcher never describes those.
    const operations = sandbox.calls.slice(callsBefore).map((call) => call.operation);
    expect(operations.indexOf('ListTasks')).toBeGreaterThanOrEqual(0);
    expect(operations.indexOf('ListTasks')).toBeLessThan(operations.indexOf('UpdateService'));
  });

  test('without task-definition, the target is the last revision that completed a deployment before the current one', async () => {
    const { cluster, service, taskDefinitionArn: v1, v2 } = await goodRelease('invoices');
    // A later forced redeploy of v2 must not make v2 "the previous good revision".
    const again = await deploy({ cluster, service, 'force-new-deployment': 'true' });
    expect(again.outputs.status).toBe('succeeded');
    expect(again.outputs['task-definition-arn']).toBe(v2.outputs['task-definition-arn']);

    const run = await rollback({ cluster, service });

    expect(run.exitCode).toBe(0);
    expect(run.outputs['task-definition-arn']).toBe(v1);
    expect(run.outputs['rolled-back']).toBe('true');
    expect(run.log).toMatch(/Target: invoices:1, chosen by the deployment history \(service deployment \S+ ended SUCCESSFUL/);
    expect(await servedVersions(sandbox, cluster, service)).toEqual(['v1', 'v1']);
  });

  test('a release ECS already rolled back: nothing changes, rolled-back is false, and it says so', async () => {
    const {
      cluster,
      service,
      taskDefinitionArn: v1,
    } = await createService(sandbox, {
      service: 'payments',
      image: `${SAMPLE_REPOSITORY}:v1`,
      deploymentConfiguration: breaker,
      containers: [sampleContainer('payments', database.url)],
    });
    // FAIL_MODE accepts only 500: the release exits 1 at start-up and ECS's circuit breaker rolls back.
    const release = await deploy({ cluster, service, image: `${SAMPLE_REPOSITORY}:v3`, environment: 'FAIL_MODE=bogus' });
    expect(release.exitCode).toBe(1);
    expect(release.outputs.status).toBe('rolled-back');
    const updatesBefore = callsOf('UpdateService') + callsOf('StopServiceDeployment');

    const run = await rollback({
      cluster,
      service,
      'task-definition': release.outputs['previous-task-definition-arn'],
      reason: 'deploy-ecs failed',
    });

    expect(run.exitCode).toBe(0);
    expect(run.outputs['rolled-back']).toBe('false');
    expect(run.outputs['task-definition-arn']).toBe(v1);
    expect(callsOf('UpdateService') + callsOf('StopServiceDeployment')).toBe(updatesBefore);
    expect(notices(run)).toEqual([
      expect.stringMatching(/^Nothing to roll back: ECS already rolled payments back from payments:2 to payments:1 on its own/),
    ]);
    expect(run.summary).toMatch(/\| Rolled back \| false \|/);
    await waitForSteady(sandbox, cluster, service, 60_000);
    expect(await servedVersions(sandbox, cluster, service)).toEqual(['v1', 'v1']);
  });

  test('a rollback that itself fails (the old image was re-pushed broken) fails loudly with the diagnosis', async () => {
    const { cluster, service, v2 } = await goodRelease('shipping', `${LEGACY_REPOSITORY}:v1`);
    // The v1 tag now points at a build that rejects its configuration and exits 1 at start-up.
    legacy.env = { FAIL_MODE: 'bogus' };

    const run = await rollback({
      cluster,
      service,
      'task-definition': v2.outputs['previous-task-definition-arn'],
      reason: 'verify-health failed',
    });

    expect(run.exitCode).toBe(1);
    expect(run.outputs['rolled-back']).toBe('false');
    const [message] = errorsOf(run);
    expect(message).toMatch(
      /^Rollback of shipping \(shipping:2 → shipping:1\) FAILED: the service is not back on shipping:1 and needs a person\./,
    );
    expect(message).toContain('exited with code 1');
    expect(message).toContain('environment variable FAIL_MODE must be 500 or unset');
    expect(run.log).toContain('Stopped tasks of the new revision:');
    expect(run.summary).toContain('❌ Auto-rollback shipping');
    expect(run.summary).toContain('Last log lines of shipping');
    // ECS's circuit breaker returned the service to its last completed revision: the release being rolled back.
    await waitForSteady(sandbox, cluster, service, 60_000);
    expect(await servedVersions(sandbox, cluster, service)).toEqual(['v2', 'v2']);
  });

  test("ECS's own rollback fails too: deploy-ecs says rolled-back or that it failed, ECS stops at ROLLBACK_FAILED, auto-rollback fails saying why", async () => {
    legacy.env = {};
    const {
      cluster,
      service,
      taskDefinitionArn: v1,
    } = await createService(sandbox, {
      service: 'ledger',
      image: `${LEGACY_REPOSITORY}:v1`,
      deploymentConfiguration: breaker,
      containers: [sampleContainer('ledger', database.url, { image: `${LEGACY_REPOSITORY}:v1` })],
    });
    // The v1 tag is re-pushed broken while v1 serves: its running tasks are fine, new ones exit at start-up.
    legacy.env = { FAIL_MODE: 'bogus' };
    const release = await deploy({ cluster, service, image: `${SAMPLE_REPOSITORY}:v3`, environment: 'FAIL_MODE=bogus' });
    // deploy-ecs judges its own deployment and does not follow ECS's rollback: rolled-back if ECS was still rolling
    // back when it looked, failed if that rollback had already failed (ROLLBACK_FAILED), which a fast sandbox can reach first.
    expect(release.exitCode).toBe(1);
    if (release.outputs.status !== 'rolled-back') {
      expect(release.outputs.status).toBe('failed');
      expect(errorsOf(release).slice(-1)[0]).toContain("ECS's own rollback failed");
    }

    const ecs = ecsClient(sandbox);
    let ended: string | undefined;
    for (let i = 0; i < 300 && ended === undefined; i++) {
      const [latest] = (await ecs.send(new ListServiceDeploymentsCommand({ cluster, service }))).serviceDeployments ?? [];
      if (latest?.status && !['PENDING', 'IN_PROGRESS', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS'].includes(latest.status))
        ended = latest.status;
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(ended).toBe('ROLLBACK_FAILED');
    const deploymentsAfter = (await describeService(sandbox, cluster, service)).deployments ?? [];
    expect(deploymentsAfter.filter((d) => d.rolloutState === 'FAILED')).toHaveLength(2);
    const updatesBefore = callsOf('UpdateService') + callsOf('StopServiceDeployment');

    for (const wait of ['false', 'true']) {
      const run = await rollback({ cluster, service, 'task-definition': release.outputs['previous-task-definition-arn'], wait });
      expect(run.exitCode).toBe(1);
      expect(run.outputs['rolled-back']).toBe('false');
      expect(run.outputs['task-definition-arn']).toBe(v1);
      expect(errorsOf(run)[0]).toMatch(
        /^Rollback of ledger \(ledger:2 → ledger:1\) FAILED: .*ECS already rolled ledger back to ledger:1 .*ROLLBACK_FAILED/,
      );
      expect(notices(run)).toEqual([]);
      expect(run.summary).toContain('❌ Auto-rollback ledger');
    }
    // Neither run changed the service: ECS's rollback already failed on that revision.
    expect(callsOf('UpdateService') + callsOf('StopServiceDeployment')).toBe(updatesBefore);
    expect((await describeService(sandbox, cluster, service)).deployments?.length).toBe(deploymentsAfter.length);
    await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: 0 }));
  });
});

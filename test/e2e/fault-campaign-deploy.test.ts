import { describe as group, expect, test } from '@jest/globals';
import {
  DescribeTaskDefinitionCommand,
  ListServiceDeploymentsCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import type { FaultOptions } from '@ecs-deploy/sandbox';
import { CONTAINER_HEALTH_CHECK, createService, describe, ecsClient, REGISTRY, scaleToZero, waitForSteady } from '../support/ecs-fixtures';
import { campaignSeed, faultMix } from '../support/fault-mix';
import { errorsOf, runBundledAction, type ActionRun } from '../support/run-action';
import { useSandbox } from '../support/use-sandbox';

// Issue 14's fault campaign for deploy-ecs and auto-rollback: each scenario, whose clean run other files cover, run
// under the seeded fault mix (throttles, 5xx, latency spikes, dropped connections on every AWS call the action makes)
// must end with the same outcome (exit code, status) and the same cause (the key words of its error). Call sequences
// are not asserted: retries and skipped polls change them, and that is allowed. FAULT_SEED=<n> replays a pattern.
const sandbox = useSandbox({ timeScale: 0.05 });

const breakerWithRollback = { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: true } };

/** Runs the action with `faults` on every AWS call it makes; the test's own calls before and after go clean. */
async function underFaults(
  action: string,
  inputs: Record<string, string>,
  faults: FaultOptions,
): Promise<ActionRun & { faulted: number; callsFrom: number }> {
  const callsFrom = sandbox.calls.length;
  sandbox.setFaults(faults);
  const run = await runBundledAction(action, inputs, { env: sandbox.env() }).finally(() => sandbox.setFaults(undefined));
  const faulted = sandbox.calls.slice(callsFrom).filter((call) => call.fault !== undefined).length;
  console.log(
    `${action} ${JSON.stringify(inputs.service)} under seed ${faults.seed}: ${faulted} of ${sandbox.calls.length - callsFrom} calls faulted, ended in ${run.finishedAt - run.startedAt} ms`,
  );
  return { ...run, faulted, callsFrom };
}

/** When the sandbox recorded its `nth` event of `kind` for the deployment (the clock of the test process). */
function eventAt(kind: string, deploymentId: string, nth = 1): number {
  const event = sandbox.history.filter((e) => e.kind === kind && e.deploymentId === deploymentId)[nth - 1];
  if (!event) throw new Error(`the sandbox recorded no ${kind} #${nth} for ${deploymentId}`);
  return event.at;
}

async function revisions(family: string): Promise<string[]> {
  return (await ecsClient(sandbox).send(new ListTaskDefinitionsCommand({ familyPrefix: family }))).taskDefinitionArns ?? [];
}

async function serviceDeployments(cluster: string, service: string) {
  return (await ecsClient(sandbox).send(new ListServiceDeploymentsCommand({ cluster, service }))).serviceDeployments ?? [];
}

function notices(run: ActionRun): string[] {
  return run.lines.filter((line) => line.text.startsWith('::notice')).map((line) => line.text.replace(/^::notice[^:]*::/, ''));
}

/** A release of `image` over the service's revision that ECS completed, made as a platform team would (no action run). */
async function released(cluster: string, service: string, from: string, image: string): Promise<string> {
  const ecs = ecsClient(sandbox);
  const { taskDefinition: current } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: from }));
  const { taskDefinition: next } = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: current?.family,
      executionRoleArn: current?.executionRoleArn,
      networkMode: current?.networkMode,
      requiresCompatibilities: current?.requiresCompatibilities,
      cpu: current?.cpu,
      memory: current?.memory,
      containerDefinitions: current?.containerDefinitions?.map((container) => ({ ...container, image })),
    }),
  );
  await ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: next?.taskDefinitionArn }));
  await waitForSteady(sandbox, cluster, service);
  return next?.taskDefinitionArn as string;
}

group('deploy-ecs under the fault mix', () => {
  test('a healthy rollout still succeeds, on one new revision and one deployment', async () => {
    const { cluster, service } = await createService(sandbox, { service: 'fc-shop', image: `${REGISTRY}/fc-shop:v1` });
    sandbox.script(`${REGISTRY}/fc-shop:v2`, { kind: 'healthy', startMs: 1000 });

    const run = await underFaults(
      'deploy-ecs',
      { cluster, service, image: `${REGISTRY}/fc-shop:v2` },
      faultMix(campaignSeed('deploy-ecs healthy')),
    );

    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
    expect(run.faulted).toBeGreaterThan(0);
    const live = await describe(sandbox, cluster, service);
    expect(live.taskDefinition).toBe(run.outputs['task-definition-arn']);
    expect(live.deployments).toHaveLength(1);
    expect(await revisions('fc-shop')).toHaveLength(2);
    expect(await serviceDeployments(cluster, service)).toHaveLength(2);
    console.log(
      `goal ≤ 3 s: steady state → success reported in ${run.finishedAt - eventAt('steady-state', run.outputs['deployment-id'])} ms`,
    );
  });

  test("a crash loop ECS's circuit breaker rolls back is still rolled-back, with the exit code and last log line", async () => {
    const { cluster, service, taskDefinitionArn } = await createService(sandbox, {
      service: 'fc-cart',
      image: `${REGISTRY}/fc-cart:v1`,
      healthCheck: CONTAINER_HEALTH_CHECK,
      deploymentConfiguration: breakerWithRollback,
    });
    const broken = `${REGISTRY}/fc-cart:v2`;
    sandbox.script(broken, { kind: 'exit', exitCode: 1, afterMs: 300, logs: ['starting cart v2', 'Error: DATABASE_URL is required'] });

    const run = await underFaults('deploy-ecs', { cluster, service, image: broken }, faultMix(campaignSeed('deploy-ecs circuit breaker')));

    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('rolled-back');
    const [message] = errorsOf(run).slice(-1);
    expect(message).toContain('circuit breaker');
    expect(message).toContain('exited with code 1');
    expect(message).toContain('Error: DATABASE_URL is required');
    expect(run.summary).toContain('EssentialContainerExited');
    const settled = await waitForSteady(sandbox, cluster, service);
    expect(settled.taskDefinition).toBe(taskDefinitionArn);
  });

  test('a crash loop without a breaker still fails at failed-tasks-threshold, with the stopped reason, exit code and last log lines', async () => {
    const { cluster, service } = await createService(sandbox, { service: 'fc-basket', image: `${REGISTRY}/fc-basket:v1` });
    const broken = `${REGISTRY}/fc-basket:v2`;
    // Each task crashes 2 s (of ECS time) after it starts, as a start-up crash does.
    sandbox.script(broken, { kind: 'exit', exitCode: 2, afterMs: 2000, logs: ['starting basket v2', 'panic: no config'] });

    const run = await underFaults(
      'deploy-ecs',
      { cluster, service, image: broken, 'failed-tasks-threshold': '3' },
      faultMix(campaignSeed('deploy-ecs crash loop')),
    );

    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('failed');
    const [message] = errorsOf(run).slice(-1);
    expect(message).toMatch(/\d+ tasks of the new revision stopped \(failed-tasks-threshold is 3\)/);
    expect(message).toContain('essential container "fc-basket" exited with code 2');
    expect(message).toContain('exited with code 2');
    expect(message).toContain('panic: no config');
    const detection = run.finishedAt - eventAt('task-stopped', run.outputs['deployment-id'], 3);
    console.log(`goal ≤ 5 s: 3rd stopped task → failure reported in ${detection} ms`);
    await scaleToZero(sandbox, cluster, service);
  });

  test('connections dropped after RegisterTaskDefinition and UpdateService took effect: one revision, one deployment', async () => {
    const { cluster, service } = await createService(sandbox, { service: 'fc-once', image: `${REGISTRY}/fc-once:v1` });
    const deploymentsBefore = (await serviceDeployments(cluster, service)).length;
    const dropAfter = (operation: string) => ({ operation, count: 1, effect: { kind: 'drop', when: 'after' } }) as const;

    // A forced deployment: a second UpdateService would start a second deployment, as it would on AWS.
    const run = await underFaults(
      'deploy-ecs',
      { cluster, service, image: `${REGISTRY}/fc-once:v2`, 'force-new-deployment': 'true' },
      { seed: 1, rules: [dropAfter('RegisterTaskDefinition'), dropAfter('UpdateService')] },
    );

    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
    const dropped = sandbox.calls.slice(run.callsFrom).filter((call) => call.fault === 'dropped-after');
    expect(dropped.map((call) => call.operation).sort()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    expect(await revisions('fc-once')).toHaveLength(2);
    expect(await serviceDeployments(cluster, service)).toHaveLength(deploymentsBefore + 1);
    const live = await describe(sandbox, cluster, service);
    expect(live.deployments).toHaveLength(1);
    expect(live.deployments?.[0]?.id).toBe(run.outputs['deployment-id']);
  });
});

group('auto-rollback under the fault mix', () => {
  test('in flight: still back to the last good revision, with the reason', async () => {
    const {
      cluster,
      service,
      taskDefinitionArn: v1,
    } = await createService(sandbox, { service: 'fc-ledger', image: `${REGISTRY}/fc-ledger:v1` });
    // The release is still starting its tasks when the rollback comes.
    sandbox.script(`${REGISTRY}/fc-ledger:v2`, { kind: 'healthy', startMs: 30_000 });
    const release = await runBundledAction(
      'deploy-ecs',
      { cluster, service, image: `${REGISTRY}/fc-ledger:v2`, wait: 'false' },
      { env: sandbox.env() },
    );
    expect(release.outputs.status).toBe('registered');
    const deploymentsBefore = (await serviceDeployments(cluster, service)).length;

    const run = await underFaults(
      'auto-rollback',
      { cluster, service, reason: 'smoke test failed' },
      faultMix(campaignSeed('auto-rollback in flight')),
    );

    expect(run.exitCode).toBe(0);
    expect(run.outputs['rolled-back']).toBe('true');
    expect(run.outputs['task-definition-arn']).toBe(v1);
    expect(notices(run)).toEqual([
      expect.stringMatching(/^Rolled back fc-ledger \(fc-ledger:2 → fc-ledger:1\) in .*Reason: smoke test failed\.$/),
    ]);
    const live = await describe(sandbox, cluster, service);
    expect(live.taskDefinition).toBe(v1);
    // StopServiceDeployment rolls back inside the release's service deployment; at most one of its own otherwise.
    expect((await serviceDeployments(cluster, service)).length - deploymentsBefore).toBeLessThanOrEqual(1);
  });

  test('after a finished deploy: still back to the previous revision, with the reason, in one deployment', async () => {
    const {
      cluster,
      service,
      taskDefinitionArn: v1,
    } = await createService(sandbox, { service: 'fc-orders', image: `${REGISTRY}/fc-orders:v1` });
    await released(cluster, service, v1, `${REGISTRY}/fc-orders:v2`);
    const deploymentsBefore = (await serviceDeployments(cluster, service)).length;

    const run = await underFaults(
      'auto-rollback',
      { cluster, service, 'task-definition': v1, reason: 'verify-health failed' },
      faultMix(campaignSeed('auto-rollback after deploy')),
    );

    expect(run.exitCode).toBe(0);
    expect(run.outputs['rolled-back']).toBe('true');
    expect(run.outputs['task-definition-arn']).toBe(v1);
    expect(notices(run)).toEqual([
      expect.stringMatching(
        /^Rolled back fc-orders \(fc-orders:2 → fc-orders:1\) in .* with UpdateService to fc-orders:1\. Reason: verify-health failed\.$/,
      ),
    ]);
    const live = await describe(sandbox, cluster, service);
    expect(live.taskDefinition).toBe(v1);
    expect(live.deployments).toHaveLength(1);
    expect(await serviceDeployments(cluster, service)).toHaveLength(deploymentsBefore + 1);
  });
});

import { describe as group, expect, test } from '@jest/globals';
import { RUN_TOKEN as TOKEN, deploymentsIn, statusPosts, useAuditTrailWorld } from '../support/github-run';
import { errorsOf } from '../support/run-action';
import { DescribeTasksCommand } from '@aws-sdk/client-ecs';
import { describe, ecsClient } from '../support/ecs-fixtures';
import {
  cancelBuildMidBuild,
  cancelDeployMidRollout,
  cancelMigrationWhileRunning,
  cancelRollbackMidWatch,
  cancelVerifyHealthWhileProbing,
  signalToExit,
} from '../support/interrupted-runs';

// The runner cancels a step with SIGINT: each action stops polling, says what it leaves, and ends within 3 s.
const world = useAuditTrailWorld();
const MUTATING = /^(RegisterTaskDefinition|UpdateService|StopServiceDeployment|CreateService|RunTask|StopTask)$/;

group('cancelling deploy-ecs mid-rollout', () => {
  test('ends within 3 s with a failure naming the deployment ECS goes on with, no AWS change after the signal, the Deployment marked cancelled', async () => {
    const { sandbox, github } = world();

    const { run, callsAtSignal, cluster, service } = await cancelDeployMidRollout(sandbox, {
      name: 'basket',
      env: world().runnerEnv(),
      inputs: { 'github-token': TOKEN, 'environment-name': 'basket' },
    });

    expect(run.signalledAt).toBeDefined();
    console.log(`deploy-ecs: SIGINT to exit in ${signalToExit(run)} ms`);
    expect(signalToExit(run)).toBeLessThan(3_000);
    expect(run.exitCode).toBe(1);
    // Cancelled is not failed: a later `if: failure()` step can tell the two apart.
    expect(run.outputs.status).toBe('cancelled');
    const deploymentId = /UpdateService started deployment (\S+)/.exec(run.log)?.[1] as string;
    expect(run.outputs['deployment-id']).toBe(deploymentId);
    const [message] = errorsOf(run);
    expect(message).toContain(`The workflow was cancelled while ECS deployment ${deploymentId}`);
    expect(message).toContain('its deployment circuit breaker rolls it back');
    expect(message).toContain(`aws ecs describe-services --cluster ${cluster} --services ${service}`);
    expect(message).toContain('console.aws.amazon.com/ecs/v2/clusters/');
    expect(sandbox.calls.slice(callsAtSignal).filter((call) => MUTATING.test(call.operation))).toEqual([]);
    expect(run.summary).toContain(`Deploy ${service}: cancelled`);
    expect(run.summary).toContain(deploymentId);
    // ECS goes on with it: the step did not stop the deployment.
    expect((await describe(sandbox, cluster, service)).deployments?.find((d) => d.id === deploymentId)?.status).toBe('PRIMARY');
    const [recorded] = deploymentsIn(github, 'basket');
    expect(recorded.states.at(-1)).toBe('error');
    const last = statusPosts(github, recorded.id).at(-1)?.body as { description?: string };
    expect(last.description).toContain(`Cancelled: the workflow was cancelled; ECS deployment ${deploymentId}`);
  });
});

group('cancelling auto-rollback mid-watch', () => {
  test('ends within 3 s with a failure naming the rollback deployment ECS goes on with, and no AWS change after the signal', async () => {
    const { sandbox } = world();

    const { run, callsAtSignal, service } = await cancelRollbackMidWatch(sandbox, { name: 'ledger', env: sandbox.env() });

    expect(run.signalledAt).toBeDefined();
    console.log(`auto-rollback: SIGINT to exit in ${signalToExit(run)} ms`);
    expect(signalToExit(run)).toBeLessThan(3_000);
    expect(run.exitCode).toBe(1);
    const deploymentId = /deployment (\S+) brings ledger:1 back/.exec(run.log)?.[1] as string;
    const [message] = errorsOf(run);
    expect(message).toContain(`The workflow was cancelled while ECS deployment ${deploymentId}, the rollback to ledger:1, was rolling out`);
    expect(sandbox.calls.slice(callsAtSignal).filter((call) => MUTATING.test(call.operation))).toEqual([]);
    expect(run.summary).toContain(`Roll back ${service}: cancelled`);
  });
});

group('cancelling run-migration with its task running', () => {
  test('ends within 3 s, leaves the task running and makes no AWS change after the signal', async () => {
    const { sandbox } = world();

    const { run, callsAtSignal, cluster } = await cancelMigrationWhileRunning(sandbox, { name: 'orders', env: sandbox.env() });

    expect(run.signalledAt).toBeDefined();
    console.log(`run-migration: SIGINT to exit in ${signalToExit(run)} ms`);
    expect(signalToExit(run)).toBeLessThan(3_000);
    expect(run.exitCode).toBe(1);
    expect(run.log).toMatch(/The workflow was cancelled, but migration task \S+ is still running/);
    expect(sandbox.calls.slice(callsAtSignal).filter((call) => MUTATING.test(call.operation))).toEqual([]);
    const { tasks } = await ecsClient(sandbox).send(new DescribeTasksCommand({ cluster, tasks: [run.outputs['task-arn']] }));
    expect(tasks?.[0]?.lastStatus).toBe('RUNNING');
  });
});

group('cancelling verify-health mid-check', () => {
  test('ends within 3 s with a failure saying no verdict was reached, and the summary says so', async () => {
    const { run, url, requests, requestsAtSignal } = await cancelVerifyHealthWhileProbing();

    expect(run.signalledAt).toBeDefined();
    console.log(`verify-health: SIGINT to exit in ${signalToExit(run)} ms`);
    expect(signalToExit(run)).toBeLessThan(3_000);
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]).toContain(`The workflow was cancelled while probing ${url}: no health verdict was reached`);
    expect(run.outputs.healthy).toBeUndefined();
    expect(run.summary).toContain('Health check: cancelled, no verdict');
    // The interval's sleep ended on the signal: no round after it.
    expect(requests).toBe(requestsAtSignal);
  });
});

group('cancelling build-push mid-build', () => {
  test('ends within 3 s without waiting for the build, says it was interrupted and outputs no image', async () => {
    const { run } = await cancelBuildMidBuild(world().sandbox.env());

    expect(run.signalledAt).toBeDefined();
    console.log(`build-push: SIGINT to exit in ${signalToExit(run)} ms`);
    expect(signalToExit(run)).toBeLessThan(3_000);
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]).toMatch(/^The workflow was cancelled while buildx was building \S+cancel\/web \(and pushing it/);
    expect(run.outputs.image).toBeUndefined();
    expect(run.summary).toContain('Build cancel/web: interrupted');
  });
});

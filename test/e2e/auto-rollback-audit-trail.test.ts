import { describe as group, expect, test } from '@jest/globals';
import { CONTAINER_HEALTH_CHECK, createService, describe, REGISTRY } from '../support/ecs-fixtures';
import { deploymentsIn, RUN_SHA, RUN_TOKEN, statusPosts, useAuditTrailWorld } from '../support/github-run';
import { errorsOf, runBundledAction, type ActionRun } from '../support/run-action';

// auto-rollback after deploy-ecs, as a workflow chains them: the failed release's Deployment says it was rolled
// back, and the rollback is a Deployment of its own, through a local stand-in for the GitHub API.
const world = useAuditTrailWorld();
const runner = () => world().runnerEnv();
const breaker = { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: true } };

/** The calls that change the service, made while the run was going. */
function changesDuring(run: ActionRun): { operation: string; at: number }[] {
  return world().sandbox.calls.filter(
    (call) => ['UpdateService', 'StopServiceDeployment'].includes(call.operation) && call.at >= run.startedAt && call.at <= run.finishedAt,
  );
}

group('auto-rollback records the rollback on the GitHub Deployments page', () => {
  test('a bad release rolled back: its Deployment ends "rolled back: reason", the rollback is a deploy:rollback Deployment that succeeds', async () => {
    const {
      cluster,
      service,
      taskDefinitionArn: v1,
    } = await createService(world().sandbox, { service: 'inventory', image: `${REGISTRY}/inventory:v1` });
    world().sandbox.script(`${REGISTRY}/inventory:v2`, { kind: 'healthy', startMs: 300 });
    const deploy = await runBundledAction(
      'deploy-ecs',
      { cluster, service, image: `${REGISTRY}/inventory:v2`, 'github-token': RUN_TOKEN },
      { env: runner() },
    );
    expect(deploy.outputs.status).toBe('succeeded');

    const run = await runBundledAction(
      'auto-rollback',
      {
        cluster,
        service,
        'task-definition': deploy.outputs['previous-task-definition-arn'],
        reason: 'verify-health failed',
        'github-token': RUN_TOKEN,
        'environment-url': 'https://inventory.example.com',
      },
      { env: runner() },
    );

    expect(run.exitCode).toBe(0);
    expect(run.outputs['rolled-back']).toBe('true');
    const [release, rollback] = deploymentsIn(world().github, 'inventory');
    expect(release.states).toEqual(['in_progress', 'success', 'failure']);
    const rolledBack = statusPosts(world().github, release.id).at(-1);
    expect(rolledBack?.body.description).toBe('rolled back: verify-health failed');
    expect(rollback.request.authorization).toBe(`token ${RUN_TOKEN}`);
    expect(rollback.request.body).toMatchObject({
      ref: RUN_SHA,
      environment: 'inventory',
      task: 'deploy:rollback',
      payload: {
        cluster,
        service,
        'task-definition-arn': v1,
        'previous-task-definition-arn': deploy.outputs['task-definition-arn'],
        reason: 'verify-health failed',
      },
    });
    expect(rollback.request.body.description).toBe(`rollback of ${cluster}/${service} to inventory:1`);
    expect(rollback.states).toEqual(['in_progress', 'success']);
    const success = statusPosts(world().github, rollback.id).at(-1);
    expect(String(success?.body.description)).toMatch(/^Rolled back inventory \(inventory:2 → inventory:1\)/);
    expect(success?.body.environment_url).toBe('https://inventory.example.com');
    // Both records come before the service is changed.
    const [change] = changesDuring(run);
    expect(change).toBeDefined();
    expect(rolledBack!.at).toBeLessThanOrEqual(change.at);
    expect(rollback.request.at).toBeLessThanOrEqual(change.at);
    expect((await describe(world().sandbox, cluster, service)).taskDefinition).toBe(v1);
  });

  test('ECS already rolled back on its own: a no-op, and the rollback Deployment still ends in success', async () => {
    const {
      cluster,
      service,
      taskDefinitionArn: v1,
    } = await createService(world().sandbox, {
      service: 'billing',
      image: `${REGISTRY}/billing:v1`,
      deploymentConfiguration: breaker,
      healthCheck: CONTAINER_HEALTH_CHECK,
    });
    world().sandbox.script(`${REGISTRY}/billing:v2`, { kind: 'exit', exitCode: 3, afterMs: 200 });
    const deploy = await runBundledAction(
      'deploy-ecs',
      { cluster, service, image: `${REGISTRY}/billing:v2`, 'github-token': RUN_TOKEN, 'environment-name': 'production-billing' },
      { env: runner() },
    );
    expect(deploy.outputs.status).toBe('rolled-back');

    const run = await runBundledAction(
      'auto-rollback',
      { cluster, service, reason: 'deploy failed', 'github-token': RUN_TOKEN, 'environment-name': 'production-billing' },
      { env: runner() },
    );

    expect(run.exitCode).toBe(0);
    expect(run.outputs['rolled-back']).toBe('false');
    expect(changesDuring(run)).toEqual([]);
    const [release, rollback] = deploymentsIn(world().github, 'production-billing');
    expect(release.states).toEqual(['in_progress', 'failure', 'failure']);
    expect(statusPosts(world().github, release.id).at(-1)?.body.description).toBe('rolled back: deploy failed');
    expect(rollback.request.body).toMatchObject({ task: 'deploy:rollback', payload: { cluster, service, 'task-definition-arn': v1 } });
    expect(rollback.states).toEqual(['in_progress', 'success']);
    expect(String(statusPosts(world().github, rollback.id).at(-1)?.body.description)).toMatch(/^Nothing to roll back/);
  });

  test('a rollback that fails: its Deployment ends in failure with the diagnosis', async () => {
    const { cluster, service } = await createService(world().sandbox, { service: 'shipping', image: `${REGISTRY}/shipping:v1` });
    world().sandbox.script(`${REGISTRY}/shipping:v2`, { kind: 'healthy', startMs: 300 });
    const deploy = await runBundledAction(
      'deploy-ecs',
      { cluster, service, image: `${REGISTRY}/shipping:v2`, 'github-token': RUN_TOKEN },
      { env: runner() },
    );
    expect(deploy.outputs.status).toBe('succeeded');
    // The revision to return to no longer starts (say its image was deleted from the registry).
    world().sandbox.script(`${REGISTRY}/shipping:v1`, { kind: 'exit', exitCode: 4, afterMs: 200, logs: ['fatal: image layer missing'] });

    const run = await runBundledAction(
      'auto-rollback',
      { cluster, service, 'task-definition': 'shipping:1', timeout: '60s', 'github-token': RUN_TOKEN },
      { env: runner() },
    );

    expect(run.exitCode).toBe(1);
    const [release, rollback] = deploymentsIn(world().github, 'shipping');
    expect(release.states).toEqual(['in_progress', 'success', 'failure']);
    expect(statusPosts(world().github, release.id).at(-1)?.body.description).toBe('rolled back: no reason given');
    expect(rollback.states).toEqual(['in_progress', 'failure']);
    expect(String(statusPosts(world().github, rollback.id).at(-1)?.body.description)).toMatch(
      /^Rollback of shipping \(shipping:2 → shipping:1\) FAILED/,
    );
    expect(errorsOf(run).slice(-1)[0]).toContain('exited with code 4');
  });

  test('a github-token outside a GitHub run is refused before anything in ECS changes', async () => {
    const {
      cluster,
      service,
      taskDefinitionArn: v1,
    } = await createService(world().sandbox, { service: 'returns', image: `${REGISTRY}/returns:v1` });
    world().sandbox.script(`${REGISTRY}/returns:v2`, { kind: 'healthy', startMs: 300 });
    const deploy = await runBundledAction(
      'deploy-ecs',
      { cluster, service, image: `${REGISTRY}/returns:v2` },
      { env: world().sandbox.env() },
    );
    expect(deploy.outputs.status).toBe('succeeded');
    const requests = world().github.requests.length;

    const run = await runBundledAction(
      'auto-rollback',
      { cluster, service, 'task-definition': 'returns:1', 'github-token': RUN_TOKEN },
      { env: world().sandbox.env() },
    );

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]).toContain("Input 'github-token'");
    expect(changesDuring(run)).toEqual([]);
    expect((await describe(world().sandbox, cluster, service)).taskDefinition).toBe(deploy.outputs['task-definition-arn']);
    expect((await describe(world().sandbox, cluster, service)).taskDefinition).not.toBe(v1);
    expect(world().github.requests.length).toBe(requests);
  });
});

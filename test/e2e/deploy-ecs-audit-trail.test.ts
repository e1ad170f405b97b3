import { describe as group, expect, test } from '@jest/globals';
import { RUN_SHA as SHA, RUN_TOKEN as TOKEN, useAuditTrailWorld } from '../support/github-run';
import { errorsOf, runBundledAction } from '../support/run-action';
import { CONTAINER_HEALTH_CHECK, createService, describe, REGISTRY } from '../support/ecs-fixtures';

const world = useAuditTrailWorld();
const runner = () => world().runnerEnv();

group('deploy-ecs records a GitHub Deployment when given a github-token', () => {
  test('a good rollout: a Deployment of the commit carrying both revisions, in_progress then success', async () => {
    const { cluster, service, taskDefinitionArn } = await createService(world().sandbox, {
      service: 'orders',
      image: `${REGISTRY}/orders:v1`,
    });
    world().sandbox.script(`${REGISTRY}/orders:v2`, { kind: 'healthy', startMs: 500 });

    const run = await runBundledAction(
      'deploy-ecs',
      {
        cluster,
        service,
        image: `${REGISTRY}/orders:v2`,
        'github-token': TOKEN,
        'environment-name': 'production',
        'environment-url': 'https://orders.example.com',
      },
      { env: runner() },
    );

    expect(run.exitCode).toBe(0);
    const [created] = world()
      .github.created()
      .filter((r) => r.body.environment === 'production');
    expect(created.authorization).toBe(`token ${TOKEN}`);
    expect(created.body).toMatchObject({
      ref: SHA,
      task: 'deploy',
      payload: {
        cluster,
        service,
        'task-definition-arn': run.outputs['task-definition-arn'],
        'previous-task-definition-arn': taskDefinitionArn,
        'ecs-deployment-id': run.outputs['deployment-id'],
      },
    });
    expect(created.body.description).toBe(`orders:2 to ${cluster}/${service}`);
    const id = Number(world().github.requests[world().github.requests.indexOf(created) + 1].path.split('/')[5]);
    expect(world().github.statusesOf(id)).toEqual(['in_progress', 'success']);
    const last = world()
      .github.requests.filter((r) => r.path.endsWith(`/deployments/${id}/statuses`))
      .at(-1);
    expect(last?.body).toMatchObject({
      environment_url: 'https://orders.example.com',
      log_url: 'https://github.example/acme/shop/actions/runs/901',
    });
    // The token is masked by the runner and never printed in clear.
    expect(run.log).toContain(`::add-mask::${TOKEN}`);
    expect(run.log.split(`::add-mask::${TOKEN}`).join('')).not.toContain(TOKEN);
  });

  test('a crash loop: the Deployment ends in failure with the cause, under the service name by default', async () => {
    const { cluster, service } = await createService(world().sandbox, {
      service: 'payments',
      image: `${REGISTRY}/payments:v1`,
      healthCheck: CONTAINER_HEALTH_CHECK,
      deploymentConfiguration: {
        minimumHealthyPercent: 100,
        maximumPercent: 200,
        deploymentCircuitBreaker: { enable: true, rollback: true },
      },
    });
    world().sandbox.script(`${REGISTRY}/payments:v2`, { kind: 'exit', exitCode: 2, afterMs: 200, logs: ['fatal: no signing key'] });

    const run = await runBundledAction(
      'deploy-ecs',
      { cluster, service, image: `${REGISTRY}/payments:v2`, 'github-token': TOKEN },
      { env: runner() },
    );

    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('rolled-back');
    const created = world()
      .github.created()
      .find((r) => r.body.environment === 'payments');
    expect(created).toBeDefined();
    const statusPosts = world().github.requests.filter(
      (r) => /\/statuses$/.test(r.path) && world().github.requests.indexOf(r) > world().github.requests.indexOf(created!),
    );
    expect(statusPosts.map((r) => r.body.state)).toEqual(['in_progress', 'failure']);
    expect(String(statusPosts[1].body.description)).toMatch(/circuit breaker/);
    expect(errorsOf(run).slice(-1)[0]).toContain('exited with code 2');
  });

  test('a GitHub API that refuses is a warning; the deploy still succeeds', async () => {
    const { cluster, service } = await createService(world().sandbox, { service: 'ledger', image: `${REGISTRY}/ledger:v1` });
    world().github.answer = () => ({ status: 403, body: { message: 'Resource not accessible by integration' } });
    try {
      const run = await runBundledAction(
        'deploy-ecs',
        { cluster, service, image: `${REGISTRY}/ledger:v2`, 'github-token': TOKEN },
        { env: runner() },
      );
      expect(run.exitCode).toBe(0);
      expect(run.outputs.status).toBe('succeeded');
      expect(run.log).toMatch(/::warning::Could not record a GitHub Deployment .*deployments: write/);
    } finally {
      world().github.answer = undefined;
    }
  });

  test('a github-token outside a GitHub run is refused before anything in ECS changes', async () => {
    const { cluster, service, taskDefinitionArn } = await createService(world().sandbox, {
      service: 'refunds',
      image: `${REGISTRY}/refunds:v1`,
    });
    const run = await runBundledAction(
      'deploy-ecs',
      { cluster, service, image: `${REGISTRY}/refunds:v2`, 'github-token': TOKEN },
      { env: world().sandbox.env() },
    );
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]).toContain("Input 'github-token'");
    expect((await describe(world().sandbox, cluster, service)).taskDefinition).toBe(taskDefinitionArn);
  });
});

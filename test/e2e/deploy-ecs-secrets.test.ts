import { describe, expect, test } from '@jest/globals';
import { RUN_TOKEN, useAuditTrailWorld } from '../support/github-run';
import { CONTAINER_HEALTH_CHECK, createService, REGISTRY } from '../support/ecs-fixtures';
import { runBundledAction } from '../support/run-action';
import { PLANTED_DATABASE_URL, plantedEnvironment } from '../support/secret-sweep';

const world = useAuditTrailWorld(0.05);

/** A service whose next image crash-loops, printing the planted DATABASE_URL: the inputs to deploy it with that URL. */
async function crashingService(name: string) {
  const { sandbox } = world();
  const { cluster, service } = await createService(sandbox, {
    service: name,
    image: `${REGISTRY}/${name}:v1`,
    healthCheck: CONTAINER_HEALTH_CHECK,
    deploymentConfiguration: {
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
    },
  });
  const image = `${REGISTRY}/${name}:v2`;
  sandbox.script(image, {
    kind: 'exit',
    exitCode: 1,
    afterMs: 300,
    logs: [`starting ${name} v2`, `Error: cannot connect to ${PLANTED_DATABASE_URL}`],
  });
  return { cluster, service, image, environment: plantedEnvironment() };
}

// The sweep of runBundledAction fails each run if the planted password got out.
describe('deploy-ecs with credentials in its environment', () => {
  test('a crashing container that prints its DATABASE_URL shows the password in no log line, summary or output', async () => {
    const run = await runBundledAction('deploy-ecs', await crashingService('ledger'), { env: world().sandbox.env() });

    expect(run.exitCode).toBe(1);
    expect(run.summary).toContain('Error: cannot connect to postgres://shop:***@db.internal:5432/shop');
  });

  test('nor in the GitHub Deployment and its statuses', async () => {
    const inputs = { ...(await crashingService('invoices')), 'github-token': RUN_TOKEN, 'environment-name': 'production' };
    const run = await runBundledAction('deploy-ecs', inputs, { env: world().runnerEnv() });

    expect(run.exitCode).toBe(1);
    const { github } = world();
    expect(github.statusesOf(github.idOf(github.created().at(-1)!))).toEqual(['in_progress', 'failure']);
  });
});

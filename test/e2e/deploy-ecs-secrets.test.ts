import { describe, expect, test } from '@jest/globals';
import { CONTAINER_HEALTH_CHECK, createService, REGISTRY } from '../support/ecs-fixtures';
import { runBundledAction } from '../support/run-action';
import { PLANTED_DATABASE_URL, plantedEnvironment } from '../support/secret-sweep';
import { useSandbox } from '../support/use-sandbox';

const sandbox = useSandbox({ timeScale: 0.05 });

describe('deploy-ecs with credentials in its environment', () => {
  test('a crashing container that prints its DATABASE_URL shows the password in no log line, summary or output', async () => {
    const { cluster, service } = await createService(sandbox, {
      service: 'ledger',
      image: `${REGISTRY}/ledger:v1`,
      healthCheck: CONTAINER_HEALTH_CHECK,
      deploymentConfiguration: {
        minimumHealthyPercent: 100,
        maximumPercent: 200,
        deploymentCircuitBreaker: { enable: true, rollback: true },
      },
    });
    const broken = `${REGISTRY}/ledger:v2`;
    sandbox.script(broken, {
      kind: 'exit',
      exitCode: 1,
      afterMs: 300,
      logs: ['starting ledger v2', `Error: cannot connect to ${PLANTED_DATABASE_URL}`],
    });

    // The sweep of runBundledAction fails this run if the planted password got out.
    const run = await runBundledAction(
      'deploy-ecs',
      { cluster, service, image: broken, environment: plantedEnvironment() },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(1);
    expect(run.summary).toContain('Error: cannot connect to postgres://shop:***@db.internal:5432/shop');
  });
});

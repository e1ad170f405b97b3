import { describe, expect, test } from '@jest/globals';
import type { TaskOutcome } from '@ecs-deploy/sandbox';
import { useAuditTrailWorld } from '../support/github-run';
import { CONTAINER_HEALTH_CHECK, createService, REGISTRY } from '../support/ecs-fixtures';
import { runBundledAction } from '../support/run-action';
import { PLANTED, PLANTED_DATABASE_URL, plantedEnvironment } from '../support/secret-sweep';

// Credentials that a revision carries, put there by an earlier deploy's `environment`, and that no input of the
// step reading that revision names. The sweep of runBundledAction fails each run if the planted ones got out.
const world = useAuditTrailWorld(0.05);
const crashesPrintingTheUrl = (name: string): TaskOutcome => ({
  kind: 'exit',
  exitCode: 1,
  afterMs: 300,
  logs: [`starting ${name}`, `Error: cannot connect to ${PLANTED_DATABASE_URL}`],
});

/** A service whose revision 2 carries the planted DATABASE_URL and API_TOKEN (deployed with them, healthy). */
async function serviceWithCredentialsInItsRevision(name: string) {
  const { sandbox } = world();
  const { cluster, service } = await createService(sandbox, {
    service: name,
    image: `${REGISTRY}/${name}:v1`,
    healthCheck: CONTAINER_HEALTH_CHECK,
  });
  const withCredentials = await runBundledAction(
    'deploy-ecs',
    { cluster, service, image: `${REGISTRY}/${name}:v2`, environment: plantedEnvironment() },
    { env: sandbox.env() },
  );
  expect(withCredentials.outputs.status).toBe('succeeded');
  return { cluster, service };
}

describe('a revision carrying credentials no input of the step names', () => {
  test('deploy-ecs of a new image on it: its crashing container prints the DATABASE_URL, the password shows nowhere', async () => {
    const { sandbox } = world();
    const { cluster, service } = await serviceWithCredentialsInItsRevision('payments');
    sandbox.script(`${REGISTRY}/payments:v3`, crashesPrintingTheUrl('payments v3'));

    const run = await runBundledAction('deploy-ecs', { cluster, service, image: `${REGISTRY}/payments:v3` }, { env: sandbox.env() });

    expect(run.exitCode).toBe(1);
    expect(run.summary).toContain('Error: cannot connect to postgres://shop:***@db.internal:5432/shop');
  });

  test('auto-rollback to it: the rollback crash-loops printing the DATABASE_URL, the password shows nowhere', async () => {
    const { sandbox } = world();
    const { cluster, service } = await serviceWithCredentialsInItsRevision('billing');
    const release = await runBundledAction(
      'deploy-ecs',
      { cluster, service, image: `${REGISTRY}/billing:v3`, wait: 'false' },
      { env: sandbox.env() },
    );
    expect(release.outputs.status).toBe('registered');
    // Revision 2 no longer starts: the rollback to it fails, and its diagnosis quotes the crashed container.
    sandbox.script(`${REGISTRY}/billing:v2`, crashesPrintingTheUrl('billing v2'));

    const run = await runBundledAction(
      'auto-rollback',
      { cluster, service, 'task-definition': release.outputs['previous-task-definition-arn'], reason: 'smoke test failed' },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(1);
    expect(run.summary).toContain('Error: cannot connect to postgres://shop:***@db.internal:5432/shop');
  });

  test("run-migration of the service's revision: the migration prints the DATABASE_URL and fails, the password shows nowhere", async () => {
    const { sandbox } = world();
    const { cluster, service } = await serviceWithCredentialsInItsRevision('orders');
    sandbox.script(`${REGISTRY}/orders:v2`, crashesPrintingTheUrl('orders migration'));

    const run = await runBundledAction('run-migration', { cluster, service, command: 'migrate up' }, { env: sandbox.env() });

    expect(run.exitCode).toBe(1);
    // The runner masks the log: what the step owes it is the ::add-mask:: before the first line quoting the password.
    const masked = run.lines.findIndex((line) => line.text === `::add-mask::${PLANTED.databasePassword}`);
    const quoted = run.lines.findIndex((line) => line.text.includes('Error: cannot connect to'));
    expect(masked).toBeGreaterThanOrEqual(0);
    expect(masked).toBeLessThan(quoted);
    expect(run.summary).toContain('Error: cannot connect to postgres://shop:***@db.internal:5432/shop');
  });
});

import { expect } from '@jest/globals';
import { REGISTRY } from '../support/ecs-fixtures';
import { errorsOf } from '../support/run-action';
import { PREFLIGHT_DEGRADED, proveDocumentedPolicy, useLeastPrivilegeSandbox, type Scenario } from '../support/least-privilege';

// run-migration's README policy against a sandbox that refuses what it does not allow (test/support/least-privilege.ts): enough
// for every scenario below, each required permission needed, each optional one degrading as documented.
const { sandbox, uniqueService, createService, createServiceWithSecrets } = useLeastPrivilegeSandbox();

const SCENARIOS: Scenario[] = [
  {
    action: 'run-migration',
    name: 'a migration that exits 0',
    async prepare() {
      const { cluster, service } = await createService(uniqueService('migrate'));
      sandbox.script(`${REGISTRY}/${service}:v2`, { kind: 'exit', exitCode: 0, afterMs: 300, logs: ['migrated up: 003_add_sku'] });
      return { cluster, service, image: `${REGISTRY}/${service}:v2`, command: 'npm run migrate' };
    },
    verdict(run) {
      expect(run.exitCode).toBe(0);
      expect(run.log).toContain('migrated up: 003_add_sku');
    },
  },
  {
    action: 'run-migration',
    name: 'a migration whose revision reads secrets from SSM and Secrets Manager',
    async prepare() {
      const { cluster, service } = await createServiceWithSecrets(uniqueService('migrate-secrets'));
      sandbox.script(`${REGISTRY}/${service}:v2`, { kind: 'exit', exitCode: 0, afterMs: 300, logs: ['migrated with secrets'] });
      return { cluster, service, image: `${REGISTRY}/${service}:v2`, command: 'npm run migrate' };
    },
    verdict(run) {
      expect(run.exitCode).toBe(0);
      expect(run.log).toContain('migrated with secrets');
    },
    complete: (run) => expect(run.log).toMatch(/pass {2}Secrets exist +SSM parameter \S+ and Secrets Manager secret \S+ exist/),
  },
  {
    action: 'run-migration',
    name: 'a migration that outlives its timeout is stopped',
    async prepare() {
      const { cluster, service } = await createService(uniqueService('slow'));
      sandbox.script(`${REGISTRY}/${service}:v2`, { kind: 'healthy', startMs: 100 });
      return { cluster, service, image: `${REGISTRY}/${service}:v2`, command: 'npm run migrate', timeout: '2s' };
    },
    verdict(run) {
      expect(run.exitCode).toBe(1);
      expect(errorsOf(run).join('\n')).toMatch(/timeout/i);
    },
  },
];

/** Documented rows no scenario here reaches, by labelOf, each with why (they stay in the README's policy). */
const NOT_REACHED = {
  'ecr:BatchGetImage (optional)': 'read only when an image is an index of several platforms',
  'logs:DescribeLogGroups (optional)': "read only for a group without awslogs-create-group; the scenarios' containers create theirs",
};

proveDocumentedPolicy(sandbox, 'run-migration', SCENARIOS, { notReached: NOT_REACHED, degraded: PREFLIGHT_DEGRADED });

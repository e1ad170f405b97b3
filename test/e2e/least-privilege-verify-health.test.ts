import { expect } from '@jest/globals';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { putErrorRateAlarm } from '../support/alarms';
import { createTargetGroup } from '../support/load-balancer';
import { clientConfig } from '../support/sandbox-harness';
import { errorsOf } from '../support/run-action';
import {
  codeDeployWaits,
  PAUSE_AT_TEST_TRAFFIC,
  QUICK_PROBE,
  WEB,
  proveDocumentedPolicy,
  useLeastPrivilegeSandbox,
  type Scenario,
} from '../support/least-privilege';

// verify-health's README policy against a sandbox that refuses what it does not allow (test/support/least-privilege.ts): enough
// for every scenario below, each required permission needed, each optional one degrading as documented.
const { sandbox, uniqueService, createService, blueGreenRelease, codeDeployRelease } = useLeastPrivilegeSandbox();

/** verify-health's inputs as the gate of a CODE_DEPLOY release paused at Ready, whose test listener must answer `body`. */
async function codeDeployGate(prefix: string, body: string, threshold: Record<string, string>) {
  const { cd, deploymentId } = await codeDeployRelease(prefix, codeDeployWaits('STOP_DEPLOYMENT', 60), 'paused');
  return {
    url: `${cd.testUrl}/`,
    'body-contains': body,
    cluster: cd.cluster,
    service: cd.service,
    'continue-deployment': deploymentId,
    ...QUICK_PROBE,
    ...threshold,
  };
}

const SCENARIOS: Scenario[] = [
  {
    action: 'verify-health',
    name: 'a steady service behind healthy targets, its alarm OK',
    async prepare() {
      const name = uniqueService('web');
      const { targetGroupArn, url } = await createTargetGroup(sandbox, `${name}-tg`, 1);
      const { cluster, service } = await createService(name, {
        image: `${WEB}:v1`,
        loadBalancers: [{ targetGroupArn, containerName: name, containerPort: 8080 }],
      });
      const cloudwatch = new CloudWatchClient(clientConfig(sandbox));
      await putErrorRateAlarm(cloudwatch, `${name}-5xx`);
      return { url, cluster, service, alarms: `${name}-5xx`, ...QUICK_PROBE, 'success-threshold': '2' };
    },
    verdict: (run) => expect(run.outputs.healthy).toBe('true'),
  },
  {
    action: 'verify-health',
    name: 'cluster + service: a task that crashes during the check fails it',
    condition: 'with a task of the service stopping during the check',
    async prepare() {
      const name = uniqueService('crashes');
      // Each task runs 60 s of sandbox time (3 s here), exits 1 and is replaced: steady between crashes.
      const { cluster, service } = await createService(name, { outcome: { kind: 'exit', exitCode: 1, afterMs: 60_000 } });
      return { cluster, service, ...QUICK_PROBE, bake: '20s', 'success-threshold': '2' };
    },
    verdict(run) {
      expect(run.exitCode).toBe(1);
      expect(errorsOf(run).join('\n')).toMatch(/because a task crashed: .*essential container "\S+" exited with code 1/);
    },
  },
  {
    action: 'verify-health',
    name: 'continue-deployment: a good release is continued at its PAUSE hook',
    condition: 'with `continue-deployment`',
    async prepare() {
      const { bg, serviceDeploymentArn } = await blueGreenRelease('bg-gate', { lifecycleHooks: PAUSE_AT_TEST_TRAFFIC }, 'paused');
      return {
        url: `${bg.testUrl}/`,
        'body-contains': 'v2',
        'continue-deployment': serviceDeploymentArn,
        ...QUICK_PROBE,
        'success-threshold': '2',
      };
    },
    verdict(run) {
      expect(run.outputs.healthy).toBe('true');
      expect(run.outputs['deployment-action']).toBe('continued');
    },
  },
  {
    action: 'verify-health',
    name: 'cluster + service: a blue/green release paused at its PAUSE hook, judged on its service deployment',
    condition: 'with `cluster` + `service` on a blue/green, linear or canary service',
    async prepare() {
      const { bg } = await blueGreenRelease('bg-judged', { lifecycleHooks: PAUSE_AT_TEST_TRAFFIC }, 'paused');
      return {
        url: `${bg.testUrl}/`,
        'body-contains': 'v2',
        cluster: bg.cluster,
        service: bg.service,
        ...QUICK_PROBE,
        'success-threshold': '2',
      };
    },
    verdict: (run) => expect(run.outputs.healthy).toBe('true'),
  },
  {
    action: 'verify-health',
    name: 'a CodeDeploy continue-deployment: a good release is continued at Ready (READY_WAIT)',
    condition: [
      'with a CodeDeploy `continue-deployment`: follow the deployment to Ready',
      'with a CodeDeploy `continue-deployment`: `READY_WAIT` when healthy',
    ],
    prepare: () => codeDeployGate('cd-gate', 'v2', { 'success-threshold': '2' }),
    verdict(run) {
      expect(run.outputs.healthy).toBe('true');
      expect(run.outputs['deployment-action']).toBe('continued');
    },
  },
  {
    action: 'verify-health',
    name: 'a CodeDeploy continue-deployment: a release whose body is wrong is stopped at Ready with rollback',
    condition: [
      'with a CodeDeploy `continue-deployment`: follow the deployment to Ready',
      'with a CodeDeploy `continue-deployment`: stop with `autoRollbackEnabled` when unhealthy',
    ],
    prepare: () => codeDeployGate('cd-stop', 'v3', { 'failure-threshold': '2' }),
    verdict(run) {
      expect(run.outputs.healthy).toBe('false');
      expect(run.outputs['deployment-action']).toBe('rolled-back');
    },
  },
  {
    action: 'verify-health',
    name: 'cluster + service: a CODE_DEPLOY release in its termination wait, two task sets, judged on where production goes',
    condition: 'with `cluster` + `service` on a `CODE_DEPLOY` service running two task sets',
    async prepare() {
      const { cd, taskDefinitionArn } = await codeDeployRelease('cd-judged', codeDeployWaits('CONTINUE_DEPLOYMENT', 60), 'bake');
      return {
        url: `${cd.productionUrl}/`,
        'body-contains': 'v2',
        cluster: cd.cluster,
        service: cd.service,
        'task-definition': taskDefinitionArn,
        ...QUICK_PROBE,
        'success-threshold': '2',
      };
    },
    verdict: (run) => expect(run.outputs.healthy).toBe('true'),
  },
];

proveDocumentedPolicy(sandbox, 'verify-health', SCENARIOS, {});

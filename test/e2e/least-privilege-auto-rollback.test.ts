import { expect } from '@jest/globals';
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { ecsClient, REGISTRY, waitForSteady } from '../support/ecs-fixtures';
import { runBundledAction } from '../support/run-action';
import {
  codeDeployWaits,
  PAUSE_AT_TEST_TRAFFIC,
  warningsOf,
  proveDocumentedPolicy,
  useLeastPrivilegeSandbox,
  type Degradations,
  type Scenario,
} from '../support/least-privilege';

// auto-rollback's README policy against a sandbox that refuses what it does not allow (test/support/least-privilege.ts): enough
// for every scenario below, each required permission needed, each optional one degrading as documented.
const { sandbox, uniqueService, registerRevision, createService, blueGreenRelease, codeDeployRelease } = useLeastPrivilegeSandbox();

const SCENARIOS: Scenario[] = [
  {
    action: 'auto-rollback',
    name: 'a release still in progress is stopped with ROLLBACK',
    async prepare() {
      const { cluster, service } = await createService(uniqueService('rollback'));
      // Tasks that take 200 s (10 s here) to start: the release is still in progress when the rollback comes.
      sandbox.script(`${REGISTRY}/${service}:v2`, { kind: 'healthy', startMs: 200_000 });
      const release = await runBundledAction(
        'deploy-ecs',
        { cluster, service, image: `${REGISTRY}/${service}:v2`, wait: 'false' },
        { env: sandbox.env() },
      );
      expect(release.outputs.status).toBe('registered');
      return { cluster, service, reason: 'smoke test failed' };
    },
    verdict(run) {
      expect(run.exitCode).toBe(0);
      expect(run.outputs['rolled-back']).toBe('true');
    },
  },
  {
    action: 'auto-rollback',
    name: 'a completed release is returned to the revision given',
    async prepare() {
      const { cluster, service } = await createService(uniqueService('target'));
      const v2 = await registerRevision(service, `${REGISTRY}/${service}:v2`);
      await ecsClient(sandbox).send(new UpdateServiceCommand({ cluster, service, taskDefinition: v2 }));
      await waitForSteady(sandbox, cluster, service);
      return { cluster, service, 'task-definition': `${service}:1`, reason: 'smoke test failed' };
    },
    verdict(run) {
      expect(run.exitCode).toBe(0);
      expect(run.outputs['task-definition-arn']).toMatch(/:1$/);
    },
  },
  {
    action: 'auto-rollback',
    name: 'a blue/green release paused at its PAUSE hook is answered ROLLBACK',
    condition: 'with a blue/green, linear or canary release paused at a PAUSE hook',
    async prepare() {
      const { bg } = await blueGreenRelease('bg-paused', { lifecycleHooks: PAUSE_AT_TEST_TRAFFIC }, 'paused');
      return { cluster: bg.cluster, service: bg.service, reason: 'verify-health failed' };
    },
    verdict(run) {
      expect(run.exitCode).toBe(0);
      expect(run.outputs['rolled-back']).toBe('true');
      expect(run.outputs['task-definition-arn']).toMatch(/:1$/);
    },
    complete: (run) => expect(run.log).toMatch(/ContinueServiceDeployment \(ROLLBACK\) of PAUSE hook ecs-pause-/),
  },
  {
    // No README row is worded for it alone (StopServiceDeployment's is proven on the rolling release above, first):
    // the documented policy is enough for it.
    action: 'auto-rollback',
    name: 'a blue/green release baking in flight is stopped with ROLLBACK',
    async prepare() {
      // An hour of bake (three minutes here): the release is in flight when the rollback comes.
      const { bg } = await blueGreenRelease('bg-baking', { afterFirstDeployment: { bakeTimeInMinutes: 60 } }, 'bake');
      return { cluster: bg.cluster, service: bg.service, reason: 'verify-health failed' };
    },
    verdict(run) {
      expect(run.exitCode).toBe(0);
      expect(run.outputs['rolled-back']).toBe('true');
      expect(run.outputs['task-definition-arn']).toMatch(/:1$/);
      expect(run.log).toMatch(/StopServiceDeployment \(ROLLBACK\) of service deployment .*still in flight/);
    },
  },
  {
    action: 'auto-rollback',
    name: 'a CODE_DEPLOY release waiting at Ready is stopped with rollback (StopDeployment)',
    // Every CODE_DEPLOY row but the new deployment after a finished release (below).
    condition: [
      'with a `CODE_DEPLOY` service: check the deployment group',
      'with a `CODE_DEPLOY` service: find the deployment in flight',
      'with a `CODE_DEPLOY` service: follow the stop',
      'with a `CODE_DEPLOY` service: stop a release in flight',
    ],
    async prepare() {
      const { cd } = await codeDeployRelease('cd-stop-rb', codeDeployWaits('STOP_DEPLOYMENT', 60), 'paused');
      return { cluster: cd.cluster, service: cd.service, 'task-definition': `${cd.family}:1`, reason: 'verify-health failed' };
    },
    verdict(run) {
      expect(run.exitCode).toBe(0);
      expect(run.outputs['rolled-back']).toBe('true');
      expect(run.log).toMatch(/StopDeployment \(autoRollbackEnabled\) of CodeDeploy deployment d-\w+, still in flight/);
    },
  },
  {
    action: 'auto-rollback',
    name: 'after a CODE_DEPLOY release Succeeded, a new CodeDeploy deployment of the revision given (CreateDeployment)',
    // Every CODE_DEPLOY row but the stop of a release in flight (above).
    condition: [
      'with a `CODE_DEPLOY` service: check the deployment group',
      'with a `CODE_DEPLOY` service: find the deployment in flight',
      'with a `CODE_DEPLOY` service: follow the stop',
      'with a `CODE_DEPLOY` service: a new deployment of the target after a finished release',
    ],
    async prepare() {
      const { cd } = await codeDeployRelease('cd-new-rb', codeDeployWaits('CONTINUE_DEPLOYMENT', 0), 'complete');
      return { cluster: cd.cluster, service: cd.service, 'task-definition': `${cd.family}:1`, reason: 'verify-health failed' };
    },
    verdict(run) {
      expect(run.exitCode).toBe(0);
      expect(run.outputs).toMatchObject({ 'rolled-back': 'true' });
      expect(run.outputs['task-definition-arn']).toMatch(/:1$/);
      expect(run.log).toMatch(/CreateDeployment of /);
    },
  },
];

/** Documented rows no scenario here reaches, by labelOf, each with why (they stay in the README's policy). */
const NOT_REACHED = {
  'logs:GetLogEvents (optional)': 'read only to diagnose a rollback whose own tasks crash',
};

/** What a run without each optional permission must still do, beside the scenario's own verdict. */
const DEGRADED: Degradations = {
  // UpdateService to the target instead of StopServiceDeployment.
  'ecs:StopServiceDeployment': (run) => expect(run.log).toMatch(/UpdateService to \S+:1/),
  'ecs:ListServiceDeployments': (run) => expect(run.log).toMatch(/UpdateService to \S+:1/),
  'ecs:DescribeServiceDeployments': (run) => expect(run.log).toMatch(/UpdateService to \S+:1/),
  'ecs:DescribeServiceRevisions': (run) => expect(run.log).toMatch(/UpdateService to \S+:1/),
  // StopServiceDeployment ROLLBACK instead of the hook's answer, still a traffic shift back within the release.
  'ecs:ContinueServiceDeployment'(run) {
    expect(run.log).toMatch(/StopServiceDeployment \(ROLLBACK\) of service deployment .*still in flight/);
    expect(run.log).not.toMatch(/UpdateService to /);
    expect(warningsOf(run).join('\n')).toMatch(
      /ContinueServiceDeployment \(ROLLBACK\) of PAUSE hook ecs-pause-\S+ of service deployment \S+ was refused \(AccessDeniedException: .*auto-rollback stops the deployment with StopServiceDeployment \(ROLLBACK\) instead.*Grant ecs:ContinueServiceDeployment/,
    );
    // auto-rollback's own words, not verify-health's.
    expect(run.log).not.toContain('so verify-health can answer the hook');
  },
};

proveDocumentedPolicy(sandbox, 'auto-rollback', SCENARIOS, { notReached: NOT_REACHED, degraded: DEGRADED });

import { expect } from '@jest/globals';
import { ApplicationAutoScalingClient, RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling';
import { clientConfig } from '../support/sandbox-harness';
import { BLUE_GREEN_REPOSITORY, createBlueGreenService } from '../support/blue-green';
import { CONTAINER_HEALTH_CHECK, REGISTRY } from '../support/ecs-fixtures';
import { errorsOf, type ActionRun } from '../support/run-action';
import {
  codeDeployWaits,
  PREFLIGHT_DEGRADED,
  TRAFFIC_NOT_CHECKED,
  warningsOf,
  proveDocumentedPolicy,
  useLeastPrivilegeSandbox,
  type Degradations,
  type Scenario,
} from '../support/least-privilege';

// deploy-ecs's README policy against a sandbox that refuses what it does not allow (test/support/least-privilege.ts): enough
// for every scenario below, each required permission needed, each optional one degrading as documented.
const {
  sandbox,
  uniqueService,
  registerRevision,
  createService,
  createServiceWithSecrets,
  scheduleTasks,
  codeDeployService,
  codeDeployRelease,
} = useLeastPrivilegeSandbox();

const SCENARIOS: Scenario[] = [
  {
    action: 'deploy-ecs',
    name: 'a healthy rollout',
    async prepare() {
      const { cluster, service } = await createService(uniqueService('deploy'));
      sandbox.script(`${REGISTRY}/${service}:v2`, { kind: 'healthy', startMs: 500 });
      return { cluster, service, image: `${REGISTRY}/${service}:v2` };
    },
    verdict: (run) => expect(run.outputs.status).toBe('succeeded'),
  },
  {
    action: 'deploy-ecs',
    name: 'a desired count set on a service Application Auto Scaling manages',
    condition: 'with `desired-count`',
    async prepare() {
      const { cluster, service } = await createService(uniqueService('scaled'));
      await new ApplicationAutoScalingClient(clientConfig(sandbox)).send(
        new RegisterScalableTargetCommand({
          ServiceNamespace: 'ecs',
          ResourceId: `service/${cluster}/${service}`,
          ScalableDimension: 'ecs:service:DesiredCount',
          MinCapacity: 1,
          MaxCapacity: 2,
        }),
      );
      return { cluster, service, 'desired-count': '2' };
    },
    verdict: (run) => expect(run.outputs.status).toBe('succeeded'),
    complete: (run) => expect(warningsOf(run).join('\n')).toContain('Application Auto Scaling manages the desired count'),
  },
  {
    action: 'deploy-ecs',
    name: "a crash loop that ECS's circuit breaker rolls back",
    async prepare() {
      const { cluster, service } = await createService(uniqueService('crash'), {
        healthCheck: CONTAINER_HEALTH_CHECK,
        deploymentConfiguration: {
          minimumHealthyPercent: 100,
          maximumPercent: 200,
          deploymentCircuitBreaker: { enable: true, rollback: true },
        },
      });
      sandbox.script(`${REGISTRY}/${service}:v2`, { kind: 'exit', exitCode: 1, afterMs: 300, logs: ['Error: DATABASE_URL is required'] });
      return { cluster, service, image: `${REGISTRY}/${service}:v2` };
    },
    verdict: (run) => expect(run.outputs.status).toBe('rolled-back'),
    complete: (run) => expect(errorsOf(run).join('\n')).toContain('Error: DATABASE_URL is required'),
  },
  {
    action: 'deploy-ecs',
    name: 'a release to a blue/green service, followed through its service deployment',
    condition: 'with a blue/green, linear or canary service',
    async prepare() {
      const bg = await createBlueGreenService(sandbox, { service: uniqueService('bg-deploy'), cluster: 'lp-bg' });
      return { cluster: bg.cluster, service: bg.service, container: bg.containerName, image: `${BLUE_GREEN_REPOSITORY}:v2` };
    },
    verdict(run) {
      expect(run.outputs.status).toBe('succeeded');
      expect(run.outputs['service-deployment-arn']).toMatch(/:service-deployment\/lp-bg\//);
    },
  },
  {
    action: 'deploy-ecs',
    name: 'a release to a CODE_DEPLOY service, through its CodeDeploy deployment',
    // Every row of CODE_DEPLOY services but the group's deployments in flight, which only a re-run (below) reads.
    condition: [
      'with a `CODE_DEPLOY` service: check the group',
      'with a `CODE_DEPLOY` service: start the deployment',
      'with a `CODE_DEPLOY` service: follow its status',
      'with a `CODE_DEPLOY` service: CodeDeploy requires it',
    ],
    async prepare() {
      const cd = await codeDeployService('cd-deploy', codeDeployWaits('CONTINUE_DEPLOYMENT', 0));
      return { cluster: cd.cluster, service: cd.service, image: `${BLUE_GREEN_REPOSITORY}:v2` };
    },
    verdict(run) {
      expect(run.outputs.status).toBe('succeeded');
      expect(run.outputs['codedeploy-deployment-id']).toMatch(/^d-[A-Z0-9]{9}$/);
    },
  },
  {
    action: 'deploy-ecs',
    name: 'a re-run on a CODE_DEPLOY service that already runs the revision, checked for a deployment in flight',
    condition: "with a `CODE_DEPLOY` service: the group's deployments in flight",
    async prepare() {
      const { cd } = await codeDeployRelease('cd-rerun', codeDeployWaits('CONTINUE_DEPLOYMENT', 0), 'complete');
      return { cluster: cd.cluster, service: cd.service, image: `${BLUE_GREEN_REPOSITORY}:v2` };
    },
    verdict(run) {
      expect(run.outputs.status).toBe('succeeded');
      expect(run.outputs['codedeploy-deployment-id']).toBe('');
    },
  },
  {
    action: 'deploy-ecs',
    name: 'a rollout of a revision with secrets from SSM and Secrets Manager',
    async prepare() {
      const { cluster, service } = await createServiceWithSecrets(uniqueService('secrets'));
      sandbox.script(`${REGISTRY}/${service}:v2`, { kind: 'healthy', startMs: 300 });
      return { cluster, service, image: `${REGISTRY}/${service}:v2` };
    },
    verdict: (run) => expect(run.outputs.status).toBe('succeeded'),
    complete: (run) => expect(run.log).toMatch(/pass {2}Secrets exist +SSM parameter \S+ and Secrets Manager secret \S+ exist/),
  },
  {
    action: 'deploy-ecs',
    name: 'a rollout whose EventBridge rule and Scheduler schedule move to the new revision',
    condition: 'with `scheduled-tasks`',
    async prepare() {
      const { cluster, service, taskDefinitionArn } = await createService(uniqueService('scheduled'));
      sandbox.script(`${REGISTRY}/${service}:v2`, { kind: 'healthy', startMs: 300 });
      await scheduleTasks(cluster, taskDefinitionArn, `${service}-nightly`, `${service}-export`, 'report');
      return {
        cluster,
        service,
        image: `${REGISTRY}/${service}:v2`,
        'scheduled-tasks': `rule:${service}-nightly\nschedule:${service}-export`,
      };
    },
    verdict: (run) => expect(run.outputs.status).toBe('succeeded'),
    complete: (run) => expect(run.log).toMatch(/Scheduled tasks moved to lp-scheduled-\d+:2/),
  },
  {
    action: 'deploy-ecs',
    name: 'a rollout that cleans up the revisions beyond the newest two',
    condition: 'with `keep-revisions`',
    async prepare() {
      const { cluster, service, taskDefinitionArn } = await createService(uniqueService('keep'));
      // Revisions 2 and 3 beside the live one, unused: the clean-up deregisters 1's neighbours once 4 is deployed.
      for (const tag of ['old-2', 'old-3']) await registerRevision(service, `${REGISTRY}/${service}:${tag}`);
      sandbox.script(`${REGISTRY}/${service}:v2`, { kind: 'healthy', startMs: 300 });
      // A rule and a schedule with ECS targets, so the listings reach their targets.
      await scheduleTasks(cluster, taskDefinitionArn, `${service}-sweep`, `${service}-sweep`, 'sweep');
      return { cluster, service, image: `${REGISTRY}/${service}:v2`, 'keep-revisions': '2' };
    },
    verdict: (run) => expect(run.outputs.status).toBe('succeeded'),
    complete: (run) => expect(run.log).toMatch(/keep-revisions 2: deregistered 1 of family lp-keep-\d+/),
  },
];

/** Documented rows no scenario here reaches, by labelOf, each with why (they stay in the README's policy). */
const NOT_REACHED = {
  // The scenarios' images are single-platform manifests (the sandbox answers other accounts' images so).
  'ecr:BatchGetImage (optional)': 'read only when an image is an index of several platforms',
  'logs:DescribeLogGroups (optional)': "read only for a group without awslogs-create-group; the scenarios' containers create theirs",
  // The old deployment stays listed, COMPLETED, while a release rolls out here: no scenario makes DescribeServices list none.
  'ecs:ListServiceDeployments (optional)': 'read only when DescribeServices lists no COMPLETED deployment',
  'ecs:DescribeServiceRevisions (optional)': 'read only when DescribeServices lists no COMPLETED deployment',
};

/** What a run without each optional permission must still do, beside the scenario's own verdict. */
const DEGRADED: Degradations = {
  // The images, secrets and roles are not looked up: each pre-flight row is a warning, and the step goes on to the same verdict.
  ...PREFLIGHT_DEGRADED,
  // The breaker's verdict from DescribeServices alone.
  'ecs:DescribeServiceDeployments': (run) => expect(run.log).toContain('deciding from DescribeServices alone'),
  // The diagnosis has no log lines.
  'logs:GetLogEvents': (run) => expect(errorsOf(run).join('\n')).not.toContain('Error: DATABASE_URL is required'),
  // A blue/green service's (or a CodeDeploy group's) traffic resources are not looked up: the row is a warning.
  'elasticloadbalancing:DescribeTargetGroups': (run) => expect(run.log).toMatch(TRAFFIC_NOT_CHECKED('DescribeTargetGroups')),
  'elasticloadbalancing:DescribeRules': (run) => expect(run.log).toMatch(TRAFFIC_NOT_CHECKED('DescribeRules')),
  'elasticloadbalancing:DescribeListeners': (run) => expect(run.log).toMatch(TRAFFIC_NOT_CHECKED('DescribeListeners')),
  // Whether an autoscaler manages the count is not looked up: the row is a warning, and the count is set.
  'application-autoscaling:DescribeScalableTargets': (run) =>
    expect(run.log).toMatch(
      /warn {2}Desired count and auto scaling +Not checked: the role this job assumes may not call application-autoscaling:DescribeScalableTargets/,
    ),
  // keep-revisions: a listing refused skips the clean-up, naming it; a refused deregistration is a failed clean-up.
  ...Object.fromEntries(
    [
      'ecs:ListTaskDefinitions',
      'ecs:ListClusters',
      'ecs:ListServices',
      'events:ListEventBuses',
      'events:ListRules',
      'events:ListTargetsByRule',
      'scheduler:ListSchedules',
      'scheduler:GetSchedule',
    ].map((permission) => [
      permission,
      (run: ActionRun) =>
        expect(warningsOf(run).join('\n')).toContain(
          `the clean-up was skipped and nothing was deregistered: the role may not call ${permission}`,
        ),
    ]),
  ),
  'ecs:DeregisterTaskDefinition': (run) =>
    expect(warningsOf(run).join('\n')).toMatch(/keep-revisions: the clean-up failed: .*ecs:DeregisterTaskDefinition/),
};

proveDocumentedPolicy(sandbox, 'deploy-ecs', SCENARIOS, { notReached: NOT_REACHED, degraded: DEGRADED });

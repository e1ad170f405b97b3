import { describe as group, expect, test } from '@jest/globals';
import { ApplicationAutoScalingClient, RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { putErrorRateAlarm } from '../support/alarms';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type DeploymentConfiguration,
  type DeploymentLifecycleHook,
  type HealthCheck,
  type LoadBalancer,
  type Secret,
} from '@aws-sdk/client-ecs';
import type { ApiCall, IamStatement, Sandbox } from '@ecs-deploy/sandbox';
import { BLUE_GREEN_REPOSITORY, blueGreenCatalog, createBlueGreenService, type BlueGreenOptions } from '../support/blue-green';
import { createCodeDeployService, type CodeDeployServiceOptions } from '../support/codedeploy';
import { CONTAINER_HEALTH_CHECK, ecsClient, REGISTRY, waitForSteady, waitForTaskSetSteady } from '../support/ecs-fixtures';
import { makeContext, newSha, runBuildPush, uniqueName } from '../support/build-push';
import { createTargetGroup } from '../support/load-balancer';
import {
  documentedPolicy,
  documentedPolicyAfter,
  forAccount,
  without,
  type DocumentedPermission,
  type DocumentedPolicy,
} from '../support/readme-policies';
import { clientConfig } from '../support/sandbox-harness';
import { errorsOf, runBundledAction, type ActionRun } from '../support/run-action';
import { useBuildWorld } from '../support/use-build-world';
import { useSandbox } from '../support/use-sandbox';
import { secretsReaderRole } from '../support/secret-roles';

// Each action's README policy, read from README.md, run against a sandbox that answers AccessDeniedException for
// anything it does not allow: the documented policy is enough for the action's scenarios (no call of theirs was
// refused), each required permission is needed (a run without it fails, naming it, at the refused call), and each
// optional one degrades as the README says. A row needed only "with" a condition (an input, a kind of service) is
// proven on the scenarios that meet it. One sandbox; each run signs with an access key of its own, which the
// sandbox gives the run's policy, so the runs overlap.

/** An image that answers every request with 200: the load balancer's targets for verify-health. */
const WEB = `${REGISTRY}/lp-web`;
const sandbox = useSandbox({
  timeScale: 0.05,
  // The roles every scenario's revision names (ROLES), as the README's iam:PassRole statement names one task role and
  // one execution role: the task role exists and trusts ECS, and the execution role, shared by the blue/green and
  // CodeDeploy fixtures' revisions too, may also read the secrets scenarios' secrets (ECS stops a task otherwise).
  seed: { roles: [{ RoleName: 'lp-task-role' }, secretsReaderRole('ecsTaskExecutionRole')] },
  catalog: {
    ...blueGreenCatalog(),
    [WEB]: { command: ['node', '-e', "require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT)"] },
  },
});

const ROLES = { task: 'lp-task-role', execution: 'ecsTaskExecutionRole', scheduled: 'lp-scheduled-task-role' };
const GITHUB = { GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567', GITHUB_RUN_ID: '42' };
const ECS_ACTIONS = ['deploy-ecs', 'run-migration', 'verify-health', 'auto-rollback'] as const;
type EcsAction = (typeof ECS_ACTIONS)[number];

const policies = new Map<string, DocumentedPolicy>();
function policyOf(action: string): DocumentedPolicy {
  if (!policies.has(action)) policies.set(action, documentedPolicy(action));
  return policies.get(action) as DocumentedPolicy;
}
const statementsOf = (action: string) => forAccount(policyOf(action).statements, sandbox.accountId, ROLES);

interface RoleRun {
  run: ActionRun;
  calls: ApiCall[];
}

let keys = 0;
/**
 * Runs an action as a role allowed `statements` only, signed with an access key of its own so runs can overlap.
 * `on` runs it elsewhere than against this file's sandbox (build-push's, with its registry and workspace).
 */
async function runAs(
  action: string,
  inputs: Record<string, string>,
  statements: IamStatement[],
  on: { sandbox: Sandbox; run?: (inputs: Record<string, string>, env: Record<string, string>) => Promise<ActionRun> } = { sandbox },
): Promise<RoleRun> {
  const key = `AKIALEASTPRIV${++keys}`;
  on.sandbox.setIamPolicy({ Statement: statements, role: 'deploy', session: 'GitHubActions' }, key);
  const env = { AWS_ACCESS_KEY_ID: key };
  const run = on.run
    ? await on.run(inputs, env)
    : await runBundledAction(action, inputs, { env: { ...on.sandbox.env(), ...GITHUB, ...env } });
  return { run, calls: on.sandbox.calls.filter((call) => call.accessKeyId === key) };
}

/** Every permission the calls needed: each call's IAM action and what its input added (tags, roles passed). */
function needed(calls: ApiCall[]): string[] {
  // A permission another one may stand in for ("GetApplicationRevision or RegisterApplicationRevision") counts as both.
  const also = (call: ApiCall) => (call.iamAlso ?? []).flatMap((check) => [check.action, ...(check.or ? [check.or.action] : [])]);
  return [...new Set(calls.flatMap((call) => [call.iamAction as string, ...also(call)]))].sort();
}

let names = 0;
const uniqueService = (prefix: string) => `lp-${prefix}-${++names}`;

interface ServiceOptions {
  loadBalancers?: LoadBalancer[];
  /** How the service's tasks behave (default: healthy, started in 200 ms). */
  outcome?: Parameters<typeof sandbox.script>[1];
  deploymentConfiguration?: DeploymentConfiguration;
  healthCheck?: HealthCheck;
  secrets?: Secret[];
}

/** A revision as a platform team registers one: a task role, an execution role, tags, awslogs. */
async function registerRevision(
  name: string,
  image: string,
  healthCheck?: HealthCheck,
  secrets?: Secret[],
  outcome: Parameters<typeof sandbox.script>[1] = { kind: 'healthy', startMs: 200 },
): Promise<string> {
  // With a catalog, an image neither catalogued nor scripted fails to pull, as in ECS.
  if (!image.startsWith(WEB)) sandbox.script(image, outcome);
  const registered = await ecsClient(sandbox).send(
    new RegisterTaskDefinitionCommand({
      family: name,
      taskRoleArn: `arn:aws:iam::${sandbox.accountId}:role/${ROLES.task}`,
      executionRoleArn: `arn:aws:iam::${sandbox.accountId}:role/${ROLES.execution}`,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      tags: [{ key: 'team', value: 'shop' }],
      containerDefinitions: [
        {
          name,
          image,
          essential: true,
          portMappings: [{ containerPort: 8080 }],
          healthCheck,
          secrets,
          logConfiguration: {
            logDriver: 'awslogs',
            options: {
              'awslogs-group': `/ecs/${name}`,
              'awslogs-region': sandbox.region,
              'awslogs-stream-prefix': 'ecs',
              'awslogs-create-group': 'true',
            },
          },
        },
      ],
    }),
  );
  return registered.taskDefinition?.taskDefinitionArn as string;
}

/** A steady service of one task on `${REGISTRY}/<name>:v1` (or `image`), in cluster `lp`. */
async function createService(name: string, options: ServiceOptions & { image?: string } = {}) {
  const ecs = ecsClient(sandbox);
  await ecs.send(new CreateClusterCommand({ clusterName: 'lp' }));
  const taskDefinitionArn = await registerRevision(
    name,
    options.image ?? `${REGISTRY}/${name}:v1`,
    options.healthCheck,
    options.secrets,
    options.outcome,
  );
  await ecs.send(
    new CreateServiceCommand({
      cluster: 'lp',
      serviceName: name,
      taskDefinition: taskDefinitionArn,
      desiredCount: 1,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d'], securityGroups: ['sg-0a1b2c3d'] } },
      deploymentConfiguration: options.deploymentConfiguration ?? { minimumHealthyPercent: 100, maximumPercent: 200 },
      loadBalancers: options.loadBalancers,
    }),
  );
  await waitForSteady(sandbox, 'lp', name);
  return { cluster: 'lp', service: name, taskDefinitionArn };
}

/**
 * A service whose revision reads a database URL from an SSM parameter and a password (a JSON key) from a Secrets
 * Manager secret, both made by the sandbox's own key: what the secrets-exist pre-flight looks up.
 */
async function createServiceWithSecrets(name: string) {
  await new SSMClient(clientConfig(sandbox)).send(
    new PutParameterCommand({ Name: `/${name}/db-url`, Value: 'postgres://db', Type: 'SecureString' }),
  );
  const secret = await new SecretsManagerClient(clientConfig(sandbox)).send(
    new CreateSecretCommand({ Name: `${name}/db`, SecretString: '{"password":"hunter2"}' }),
  );
  return createService(name, {
    secrets: [
      { name: 'DATABASE_URL', valueFrom: `/${name}/db-url` },
      { name: 'DB_PASSWORD', valueFrom: `${secret.ARN}:password::` },
    ],
  });
}

/** A PAUSE hook after test traffic, which waits an hour (three minutes here) before ECS rolls back on its own. */
const PAUSE_AT_TEST_TRAFFIC: DeploymentLifecycleHook[] = [
  { targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'], timeoutConfiguration: { timeoutInMinutes: 60, action: 'ROLLBACK' } },
];

/**
 * A blue/green service on v1 in cluster `lp-bg`, and v2 released to it by deploy-ecs (signed with the sandbox's own
 * key, which may do anything) up to `waitUntil`: the release the action under test gates or rolls back.
 */
async function blueGreenRelease(prefix: string, options: Partial<BlueGreenOptions>, waitUntil: 'paused' | 'bake') {
  const bg = await createBlueGreenService(sandbox, { service: uniqueService(prefix), cluster: 'lp-bg', ...options });
  const release = await runBundledAction(
    'deploy-ecs',
    {
      cluster: bg.cluster,
      service: bg.service,
      container: bg.containerName,
      image: `${BLUE_GREEN_REPOSITORY}:v2`,
      'wait-until': waitUntil,
    },
    { env: sandbox.env() },
  );
  expect(errorsOf(release)).toEqual([]);
  return { bg, serviceDeploymentArn: release.outputs['service-deployment-arn'] };
}

const warningsOf = (run: ActionRun) => run.lines.filter((line) => line.text.startsWith('::warning')).map((line) => line.text);

/** A CodeDeploy group's waits: at Ready (an hour, three minutes here, for an answer) or not, then the termination wait. */
const codeDeployWaits = (ready: 'STOP_DEPLOYMENT' | 'CONTINUE_DEPLOYMENT', terminationWaitTimeInMinutes: number) => ({
  blueGreenDeploymentConfiguration: {
    deploymentReadyOption: { actionOnTimeout: ready, waitTimeInMinutes: ready === 'STOP_DEPLOYMENT' ? 60 : 0 },
    terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE' as const, terminationWaitTimeInMinutes },
  },
});

/** A CODE_DEPLOY service on v1 in cluster `lp-cd`, one task, its task set steady. */
async function codeDeployService(prefix: string, group: CodeDeployServiceOptions['group']) {
  const cd = await createCodeDeployService(sandbox, { service: uniqueService(prefix), cluster: 'lp-cd', desiredCount: 1, group });
  await waitForTaskSetSteady(sandbox, cd.cluster, cd.service);
  return cd;
}

/**
 * A CODE_DEPLOY service on v1 and v2 released to it by deploy-ecs (signed with the sandbox's own key) up to
 * `waitUntil`: paused at Ready, or in the termination wait (bake), or succeeded (complete).
 */
async function codeDeployRelease(prefix: string, group: CodeDeployServiceOptions['group'], waitUntil: 'paused' | 'bake' | 'complete') {
  const cd = await codeDeployService(prefix, group);
  const release = await runBundledAction(
    'deploy-ecs',
    { cluster: cd.cluster, service: cd.service, image: `${BLUE_GREEN_REPOSITORY}:v2`, 'wait-until': waitUntil },
    { env: sandbox.env() },
  );
  expect(errorsOf(release)).toEqual([]);
  return { cd, deploymentId: release.outputs['codedeploy-deployment-id'], taskDefinitionArn: release.outputs['task-definition-arn'] };
}

/** One of an action's e2e scenarios: a fresh world for each run of it, and the verdict the documented policy gets. */
interface Scenario {
  action: EcsAction;
  name: string;
  /**
   * The condition of the README's rows this scenario meets, in their words (`with a blue/green, linear or canary
   * service`). A row that begins "with " is proven on each scenario whose condition it names; any other row on the
   * first scenario without one that needed it. Several conditions: the scenario meets each. Where two rows share a
   * condition but each call comes on one outcome only (a gate's ContinueDeployment when healthy, its StopDeployment
   * when not), the condition quotes the row's words up to that outcome.
   */
  condition?: string | string[];
  prepare(): Promise<Record<string, string>>;
  verdict(run: ActionRun): void;
  /** What only the documented policy gets (and a missing optional permission may take away). */
  complete?(run: ActionRun): void;
}

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
      const role = `arn:aws:iam::${sandbox.accountId}:role/${ROLES.scheduled}`;
      const clusterArn = `arn:aws:ecs:${sandbox.region}:${sandbox.accountId}:cluster/${cluster}`;
      const events = new EventBridgeClient(clientConfig(sandbox));
      await events.send(new PutRuleCommand({ Name: `${service}-nightly`, ScheduleExpression: 'rate(1 day)' }));
      await events.send(
        new PutTargetsCommand({
          Rule: `${service}-nightly`,
          Targets: [{ Id: 'report', Arn: clusterArn, RoleArn: role, EcsParameters: { TaskDefinitionArn: taskDefinitionArn } }],
        }),
      );
      await new SchedulerClient(clientConfig(sandbox)).send(
        new CreateScheduleCommand({
          Name: `${service}-export`,
          ScheduleExpression: 'rate(1 day)',
          FlexibleTimeWindow: { Mode: 'OFF' },
          Target: { Arn: clusterArn, RoleArn: role, EcsParameters: { TaskDefinitionArn: taskDefinitionArn } },
        }),
      );
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
      const role = `arn:aws:iam::${sandbox.accountId}:role/${ROLES.scheduled}`;
      const clusterArn = `arn:aws:ecs:${sandbox.region}:${sandbox.accountId}:cluster/${cluster}`;
      const events = new EventBridgeClient(clientConfig(sandbox));
      await events.send(new PutRuleCommand({ Name: `${service}-sweep`, ScheduleExpression: 'rate(1 day)' }));
      await events.send(
        new PutTargetsCommand({
          Rule: `${service}-sweep`,
          Targets: [{ Id: 'sweep', Arn: clusterArn, RoleArn: role, EcsParameters: { TaskDefinitionArn: taskDefinitionArn } }],
        }),
      );
      await new SchedulerClient(clientConfig(sandbox)).send(
        new CreateScheduleCommand({
          Name: `${service}-sweep`,
          ScheduleExpression: 'rate(1 day)',
          FlexibleTimeWindow: { Mode: 'OFF' },
          Target: { Arn: clusterArn, RoleArn: role, EcsParameters: { TaskDefinitionArn: taskDefinitionArn } },
        }),
      );
      return { cluster, service, image: `${REGISTRY}/${service}:v2`, 'keep-revisions': '2' };
    },
    verdict: (run) => expect(run.outputs.status).toBe('succeeded'),
    complete: (run) => expect(run.log).toMatch(/keep-revisions 2: deregistered 1 of family lp-keep-\d+/),
  },
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
      return { url, cluster, service, alarms: `${name}-5xx`, interval: '0.2s', timeout: '30s', 'success-threshold': '2' };
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
      return { cluster, service, interval: '0.2s', timeout: '30s', bake: '20s', 'success-threshold': '2' };
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
        interval: '0.2s',
        timeout: '30s',
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
        interval: '0.2s',
        timeout: '30s',
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
    async prepare() {
      const { cd, deploymentId } = await codeDeployRelease('cd-gate', codeDeployWaits('STOP_DEPLOYMENT', 60), 'paused');
      return {
        url: `${cd.testUrl}/`,
        'body-contains': 'v2',
        cluster: cd.cluster,
        service: cd.service,
        'continue-deployment': deploymentId,
        interval: '0.2s',
        timeout: '30s',
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
    name: 'a CodeDeploy continue-deployment: a release whose body is wrong is stopped at Ready with rollback',
    condition: [
      'with a CodeDeploy `continue-deployment`: follow the deployment to Ready',
      'with a CodeDeploy `continue-deployment`: stop with `autoRollbackEnabled` when unhealthy',
    ],
    async prepare() {
      const { cd, deploymentId } = await codeDeployRelease('cd-stop', codeDeployWaits('STOP_DEPLOYMENT', 60), 'paused');
      return {
        url: `${cd.testUrl}/`,
        'body-contains': 'v3',
        cluster: cd.cluster,
        service: cd.service,
        'continue-deployment': deploymentId,
        interval: '0.2s',
        timeout: '30s',
        'failure-threshold': '2',
      };
    },
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
        interval: '0.2s',
        timeout: '30s',
        'success-threshold': '2',
      };
    },
    verdict: (run) => expect(run.outputs.healthy).toBe('true'),
  },
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

/** A README row, for the tables below: its permission and what it says of it (a permission may have two rows). */
const labelOf = (row: DocumentedPermission) => `${row.action} (${row.need})`;

/** Documented rows no scenario here reaches, by labelOf, each with why (they stay in the README's policy). */
const NOT_REACHED: Partial<Record<EcsAction, Record<string, string>>> = {
  'deploy-ecs': {
    // The scenarios' images are single-platform manifests (the sandbox answers other accounts' images so).
    'ecr:BatchGetImage (optional)': 'read only when an image is an index of several platforms',
    'logs:DescribeLogGroups (optional)': "read only for a group without awslogs-create-group; the scenarios' containers create theirs",
    // The old deployment stays listed, COMPLETED, while a release rolls out here: no scenario makes DescribeServices list none.
    'ecs:ListServiceDeployments (optional)': 'read only when DescribeServices lists no COMPLETED deployment',
    'ecs:DescribeServiceRevisions (optional)': 'read only when DescribeServices lists no COMPLETED deployment',
  },
  'run-migration': {
    'ecr:BatchGetImage (optional)': 'read only when an image is an index of several platforms',
    'logs:DescribeLogGroups (optional)': "read only for a group without awslogs-create-group; the scenarios' containers create theirs",
  },
  'auto-rollback': {
    'logs:GetLogEvents (optional)': 'read only to diagnose a rollback whose own tasks crash',
  },
};

/** What each scenario needed with the documented policy, filled by the first group. */
const neededBy = new Map<Scenario, string[]>();

/** A README row to prove, and (for a row that begins "with ") the scenario meeting its condition to prove it on. */
interface Proof {
  action: EcsAction;
  row: DocumentedPermission;
  scenario?: Scenario;
}

const conditionsOf = (scenario: Scenario) => (scenario.condition === undefined ? [] : [scenario.condition].flat());

/** The rows of each `need` that a scenario reaches: a conditioned row once for each scenario that meets its condition. */
function proofs(need: DocumentedPermission['need']): Proof[] {
  return ECS_ACTIONS.flatMap((action) =>
    policyOf(action)
      .permissions.filter((row) => row.need === need && !NOT_REACHED[action]?.[labelOf(row)])
      .flatMap((row): Proof[] => {
        if (!row.conditioned) return [{ action, row }];
        const meeting = SCENARIOS.filter(
          (scenario) => scenario.action === action && conditionsOf(scenario).some((condition) => row.why.includes(condition)),
        );
        return meeting.length ? meeting.map((scenario) => ({ action, row, scenario })) : [{ action, row }];
      }),
  );
}
const ALL_PROOFS = [...proofs('required'), ...proofs('conditional'), ...proofs('optional')];

/** The scenario a proof runs: the one meeting the row's condition, else the first without a condition that needed the permission. */
function scenarioFor({ action, row, scenario }: Proof): Scenario {
  if (scenario) {
    if (!neededBy.get(scenario)?.includes(row.action))
      throw new Error(
        `"${scenario.name}" meets "${conditionsOf(scenario).join('" and "')}", but did not need ${row.action}, which README lists ${row.why}`,
      );
    return scenario;
  }
  if (row.conditioned) throw new Error(`no ${action} scenario meets the condition of ${row.action}: "${row.why}"`);
  const first = SCENARIOS.find(
    (candidate) => candidate.action === action && !candidate.condition && neededBy.get(candidate)?.includes(row.action),
  );
  if (!first) throw new Error(`README lists ${labelOf(row)} for ${action}, but no scenario needed it`);
  return first;
}
const where = (proof: Proof) => proof.scenario?.name ?? 'its first scenario that needed it';

group('the documented policy is enough for every scenario', () => {
  test.concurrent.each(SCENARIOS.map((scenario) => [scenario.action, scenario.name, scenario] as const))(
    '%s: %s',
    async (action, _name, scenario) => {
      const { run, calls } = await runAs(action, await scenario.prepare(), statementsOf(action));
      // No call was refused: nothing outside the documented policy was needed.
      expect(calls.filter((call) => call.accessDenied).map((call) => call.accessDenied)).toEqual([]);
      scenario.verdict(run);
      scenario.complete?.(run);
      neededBy.set(scenario, needed(calls));
    },
  );

  test.each(ECS_ACTIONS.map((action) => [action]))('%s: every row the README lists was needed by a scenario it is proven on', (action) => {
    const unproven = ALL_PROOFS.filter((proof) => proof.action === action).flatMap((proof) => {
      try {
        scenarioFor(proof);
        return [];
      } catch (error) {
        return [(error as Error).message];
      }
    });
    expect(unproven).toEqual([]);
  });
});

const NEEDED = [...proofs('required'), ...proofs('conditional')].map(
  (proof) => [proof.action, proof.row.action, where(proof), proof] as const,
);

group('each required permission is needed (a conditional one where its condition holds): without it the step fails, naming it', () => {
  test.concurrent.each(NEEDED)('%s without %s, in %s', async (action, permission, _where, proof) => {
    // The scenario meeting the row's condition, else the first that needed it: the refused call comes as early as it can.
    const scenario = scenarioFor(proof);
    const { run, calls } = await runAs(action, await scenario.prepare(), without(statementsOf(action), permission));

    expect(run.exitCode).toBe(1);
    // Refused for it, or for the permission it stands in for (the sandbox names the first of the two).
    // A step may be refused a read it can do without first (a warning), then the call that fails it.
    const refused = calls.filter((call) => call.accessDenied);
    const standsIn = refused.flatMap((call) =>
      (call.iamAlso ?? []).filter((check) => check.or?.action === permission).map((check) => check.action),
    );
    const named = new RegExp(`^(${[permission, ...standsIn].join('|')}) on `);
    expect(refused.map((call) => call.accessDenied)).toContainEqual(expect.stringMatching(named));
    expect(errorsOf(run).join('\n')).toMatch(new RegExp([permission, ...standsIn].join('|')));
  });
});

/** The traffic-resources pre-flight row of a blue/green or CODE_DEPLOY service, a warning for want of `operation`. */
const TRAFFIC_NOT_CHECKED = (operation: string) =>
  new RegExp(
    `warn {2}(Alternate target group and listener rules|Target groups and listeners) +.* was not checked: the role may not call elasticloadbalancing:${operation}`,
  );

/** What a run without each optional permission must still do, beside the scenario's own verdict. */
const DEGRADED: Partial<Record<EcsAction, Record<string, (run: ActionRun) => void>>> = {
  'deploy-ecs': {
    // The breaker's verdict from DescribeServices alone.
    'ecs:DescribeServiceDeployments': (run) => expect(run.log).toContain('deciding from DescribeServices alone'),
    // The diagnosis has no log lines.
    'logs:GetLogEvents': (run) => expect(errorsOf(run).join('\n')).not.toContain('Error: DATABASE_URL is required'),
    // The images are not looked up: the pre-flight row is a warning, and the step goes on to the same verdict.
    'ecr:DescribeImages': (run) => expect(run.log).toMatch(/warn {2}Images exist +container "\S+" runs \S+, not checked/),
    // A blue/green service's (or a CodeDeploy group's) traffic resources are not looked up: the row is a warning.
    'elasticloadbalancing:DescribeTargetGroups': (run) => expect(run.log).toMatch(TRAFFIC_NOT_CHECKED('DescribeTargetGroups')),
    'elasticloadbalancing:DescribeRules': (run) => expect(run.log).toMatch(TRAFFIC_NOT_CHECKED('DescribeRules')),
    'elasticloadbalancing:DescribeListeners': (run) => expect(run.log).toMatch(TRAFFIC_NOT_CHECKED('DescribeListeners')),
    // The secrets are not looked up: a warning, and the rollout goes on (its secrets exist, so its tasks start).
    'ssm:DescribeParameters': (run) =>
      expect(run.log).toMatch(/warn {2}Secrets exist +SSM parameter \S+ \(\S+\) of container "\S+" was not checked/),
    'secretsmanager:DescribeSecret': (run) =>
      expect(run.log).toMatch(/warn {2}Secrets exist +Secrets Manager secret \S+ \(\S+\) of container "\S+" was not checked/),
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
    // The roles are not looked up, nor the execution role's reads simulated: each row is a warning naming the permission.
    'iam:GetRole': (run) => expect(run.log).toMatch(/warn {2}Roles exist and trust ECS +Not checked: .*may not call iam:GetRole/),
    'iam:SimulatePrincipalPolicy': (run) =>
      expect(run.log).toMatch(/warn {2}Execution role may read the secrets +Not checked: .*may not call iam:SimulatePrincipalPolicy/),
  },
  'run-migration': {
    'ecr:DescribeImages': (run) => expect(run.log).toMatch(/warn {2}Images exist +container "\S+" runs \S+, not checked/),
    'ssm:DescribeParameters': (run) =>
      expect(run.log).toMatch(/warn {2}Secrets exist +SSM parameter \S+ \(\S+\) of container "\S+" was not checked/),
    'secretsmanager:DescribeSecret': (run) =>
      expect(run.log).toMatch(/warn {2}Secrets exist +Secrets Manager secret \S+ \(\S+\) of container "\S+" was not checked/),
    // The roles are not looked up, nor the execution role's reads simulated: each row is a warning naming the permission.
    'iam:GetRole': (run) => expect(run.log).toMatch(/warn {2}Roles exist and trust ECS +Not checked: .*may not call iam:GetRole/),
    'iam:SimulatePrincipalPolicy': (run) =>
      expect(run.log).toMatch(/warn {2}Execution role may read the secrets +Not checked: .*may not call iam:SimulatePrincipalPolicy/),
  },
  'auto-rollback': {
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
  },
};

const OPTIONAL = proofs('optional').map((proof) => [proof.action, proof.row.action, where(proof), proof] as const);

group('each optional permission degrades as documented: the same verdict, a warning naming it', () => {
  test.concurrent.each(OPTIONAL)('%s without %s, in %s', async (action, permission, _where, proof) => {
    const scenario = scenarioFor(proof);
    const { run, calls } = await runAs(action, await scenario.prepare(), without(statementsOf(action), permission));

    expect(calls.find((call) => call.accessDenied)?.accessDenied).toMatch(new RegExp(`^${permission} on `));
    scenario.verdict(run);
    expect(warningsOf(run).join('\n')).toContain(permission);
    const degraded = DEGRADED[action]?.[permission];
    if (!degraded) throw new Error(`say what ${action} does without ${permission}, as its README does`);
    degraded(run);
  });
});

// build-push's ECR calls, against the sandbox of the real registry. The layer uploads (BatchCheckLayerAvailability,
// InitiateLayerUpload, UploadLayerPart, CompleteLayerUpload) go to the registry itself, which is a plain registry
// here: only the ECR API calls are authorized by the sandbox. One real build; every other run finds the image of
// its commit and builds nothing, so each refused call comes before any build.
group('build-push: the documented policy is enough; each ECR permission it calls is needed', () => {
  const world = useBuildWorld();
  const repository = uniqueName('lp-web');
  const sha = newSha();
  let workspace: string;
  let promotions = 0;
  const neededByRun = new Map<string, string[]>();
  const REGISTRY_PROTOCOL = new Set([
    'ecr:BatchCheckLayerAvailability',
    'ecr:InitiateLayerUpload',
    'ecr:UploadLayerPart',
    'ecr:CompleteLayerUpload',
  ]);
  const statements = () => forAccount(policyOf('build-push').statements, world().sandbox.accountId, { repository: 'lp-web-*' });
  const asRole = (inputs: Record<string, string>, policy: IamStatement[]) =>
    runAs('build-push', inputs, policy, {
      sandbox: world().sandbox,
      run: (given, env) => runBuildPush(world(), given, { sha, workspace, env }),
    });
  // A tag of its own each time, so that adding it needs BatchGetImage and PutImage.
  const RUNS: Record<string, () => Record<string, string>> = {
    'a first build, creating the repository': () => ({ repository, 'create-repository': 'true' }),
    'a re-run of the same commit': () => ({ repository }),
    'a promotion: a new tag on the image of this commit': () => ({ repository, tags: `release-${++promotions}` }),
  };

  test('the documented policy builds, skips and promotes', async () => {
    workspace = makeContext({ 'index.html': '<h1>least privilege</h1>\n' });
    for (const [name, inputs] of Object.entries(RUNS)) {
      const { run, calls } = await asRole(inputs(), statements());
      expect({ name, denied: calls.filter((call) => call.accessDenied).map((call) => call.accessDenied) }).toEqual({ name, denied: [] });
      expect(errorsOf(run)).toEqual([]);
      neededByRun.set(name, needed(calls));
    }
    const used = new Set([...neededByRun.values()].flat());
    // Those needed only with an input: CreateRepository has its own test below; scans are not run here.
    const visible = policyOf('build-push').permissions.filter(
      (permission) => permission.need === 'required' && !REGISTRY_PROTOCOL.has(permission.action),
    );
    const unused = visible.filter((permission) => !used.has(permission.action));
    expect(unused.map((permission) => permission.action)).toEqual([]);
  });

  const rows = ['ecr:DescribeRepositories', 'ecr:GetAuthorizationToken', 'ecr:DescribeImages', 'ecr:BatchGetImage', 'ecr:PutImage'];

  test.concurrent.each(rows)('without %s the step fails, naming it', async (permission) => {
    const name = Object.keys(RUNS).find(
      (candidate) => candidate !== 'a first build, creating the repository' && neededByRun.get(candidate)?.includes(permission),
    );
    if (!name) throw new Error(`no run of build-push needed ${permission}`);
    const { run, calls } = await asRole(RUNS[name](), without(statements(), permission));

    expect(run.exitCode).toBe(1);
    expect(calls.find((call) => call.accessDenied)?.accessDenied).toMatch(new RegExp(`^${permission} on `));
    expect(errorsOf(run).join('\n')).toContain(permission);
    expect(run.log).not.toMatch(/^\[command\]/m);
  });

  test('without ecr:CreateRepository, create-repository fails naming it, before any build', async () => {
    const { run, calls } = await asRole(
      { repository: uniqueName('lp-web'), 'create-repository': 'true' },
      without(statements(), 'ecr:CreateRepository'),
    );

    expect(run.exitCode).toBe(1);
    expect(calls.find((call) => call.accessDenied)?.accessDenied).toMatch(/^ecr:CreateRepository on /);
    expect(errorsOf(run).join('\n')).toContain('ecr:CreateRepository');
    expect(run.log).not.toMatch(/^\[command\]/m);
  });
});

// build-push with registry: public, under README's ECR Public policy. As above, the layer uploads and PutImage go to
// the registry itself; the sandbox authorizes ECR Public's API calls, GetAuthorizationToken also on
// sts:GetServiceBearerToken. One real build; the other runs find the commit's image and build nothing.
group('build-push to ECR Public: the documented ECR Public policy is enough; each ECR Public permission it calls is needed', () => {
  const world = useBuildWorld();
  const repository = uniqueName('lp-public');
  const sha = newSha();
  let workspace: string;
  const ROWS_NOT_AUTHORIZED_BY_THE_SANDBOX = new Set([
    'ecr-public:BatchCheckLayerAvailability',
    'ecr-public:InitiateLayerUpload',
    'ecr-public:UploadLayerPart',
    'ecr-public:CompleteLayerUpload',
    'ecr-public:PutImage',
  ]);
  const statements = () =>
    forAccount(documentedPolicyAfter('build-push', '**ECR Public policy.**'), world().sandbox.accountId, { repository: 'lp-public-*' });
  const asRole = (inputs: Record<string, string>, policy: IamStatement[]) =>
    runAs('build-push', { registry: 'public', ...inputs }, policy, {
      sandbox: world().sandbox,
      run: (given, env) => runBuildPush(world(), given, { sha, workspace, env }),
    });
  const rerun = { repository };

  test('the documented policy builds into a repository it creates, then skips; every row the sandbox authorizes was needed', async () => {
    workspace = makeContext({ 'index.html': '<h1>least privilege, public</h1>\n' });
    const used = new Set<string>();
    for (const inputs of [{ repository, 'create-repository': 'true' }, rerun]) {
      const { run, calls } = await asRole(inputs, statements());
      expect(calls.filter((call) => call.accessDenied).map((call) => call.accessDenied)).toEqual([]);
      expect(errorsOf(run)).toEqual([]);
      for (const permission of needed(calls)) used.add(permission);
    }
    const rows = policyOf('build-push').permissions.filter(
      (row) => row.why.startsWith('with `registry` public') && !ROWS_NOT_AUTHORIZED_BY_THE_SANDBOX.has(row.action),
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((row) => !used.has(row.action)).map((row) => row.action)).toEqual([]);
  });

  test.each([
    'ecr-public:DescribeRepositories',
    'ecr-public:GetAuthorizationToken',
    'sts:GetServiceBearerToken',
    'ecr-public:DescribeImages',
  ])('without %s a re-run fails, naming it', async (permission) => {
    const { run, calls } = await asRole(rerun, without(statements(), permission));

    expect(run.exitCode).toBe(1);
    expect(calls.find((call) => call.accessDenied)?.accessDenied).toMatch(new RegExp(`^${permission} on `));
    expect(errorsOf(run).join('\n')).toContain(permission);
    expect(run.log).not.toMatch(/^\[command\]/m);
  });

  test('without ecr-public:CreateRepository, create-repository fails naming it, before any build', async () => {
    const { run, calls } = await asRole(
      { repository: uniqueName('lp-public'), 'create-repository': 'true' },
      without(statements(), 'ecr-public:CreateRepository'),
    );

    expect(run.exitCode).toBe(1);
    expect(calls.find((call) => call.accessDenied)?.accessDenied).toMatch(/^ecr-public:CreateRepository on /);
    expect(errorsOf(run).join('\n')).toContain('ecr-public:CreateRepository');
    expect(run.log).not.toMatch(/^\[command\]/m);
  });
});

/**
 * What the least-privilege e2e files share (one file for each action, so jest runs them in parallel): each action's
 * README policy, read from README.md, run against a sandbox that answers AccessDeniedException for anything it does
 * not allow. The documented policy is enough for the action's scenarios (no call of theirs was refused), each
 * required permission is needed (a run without it fails, naming it, at the refused call), and each optional one
 * degrades as the README says. A row needed only "with" a condition (an input, a kind of service) is proven on the
 * scenarios that meet it. One sandbox a file; each run signs with an access key of its own, which the sandbox gives
 * the run's policy, so the runs overlap.
 */
import { describe as group, expect, test } from '@jest/globals';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  RegisterTaskDefinitionCommand,
  type DeploymentConfiguration,
  type DeploymentLifecycleHook,
  type HealthCheck,
  type LoadBalancer,
  type Secret,
} from '@aws-sdk/client-ecs';
import type { ApiCall, IamStatement, Sandbox } from '@ecs-deploy/sandbox';
import { BLUE_GREEN_REPOSITORY, blueGreenCatalog, createBlueGreenService, type BlueGreenOptions } from './blue-green';
import { createCodeDeployService, type CodeDeployServiceOptions } from './codedeploy';
import { ecsClient, REGISTRY, waitForSteady, waitForTaskSetSteady } from './ecs-fixtures';
import { documentedPolicy, forAccount, without, type DocumentedPermission, type DocumentedPolicy } from './readme-policies';
import { clientConfig } from './sandbox-harness';
import { errorsOf, runBundledAction, type ActionRun } from './run-action';
import { useSandbox } from './use-sandbox';
import { secretsReaderRole } from './secret-roles';

/** An image that answers every request with 200: the load balancer's targets for verify-health. */
export const WEB = `${REGISTRY}/lp-web`;
export const ROLES = { task: 'lp-task-role', execution: 'ecsTaskExecutionRole', scheduled: 'lp-scheduled-task-role' };
const GITHUB = { GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567', GITHUB_RUN_ID: '42' };
export type EcsAction = 'deploy-ecs' | 'run-migration' | 'verify-health' | 'auto-rollback';

const policies = new Map<string, DocumentedPolicy>();
export function policyOf(action: string): DocumentedPolicy {
  if (!policies.has(action)) policies.set(action, documentedPolicy(action));
  return policies.get(action) as DocumentedPolicy;
}

interface RoleRun {
  run: ActionRun;
  calls: ApiCall[];
}

let keys = 0;
/**
 * Runs an action on `on.sandbox` as a role allowed `statements` only, signed with an access key of its own so runs can
 * overlap. `on.run` runs it otherwise than as a bundled action against that sandbox (build-push, with its registry and workspace).
 */
export async function runAs(
  action: string,
  inputs: Record<string, string>,
  statements: IamStatement[],
  on: { sandbox: Sandbox; run?: (inputs: Record<string, string>, env: Record<string, string>) => Promise<ActionRun> },
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
export function needed(calls: ApiCall[]): string[] {
  // A permission another one may stand in for ("GetApplicationRevision or RegisterApplicationRevision") counts as both.
  const also = (call: ApiCall) => (call.iamAlso ?? []).flatMap((check) => [check.action, ...(check.or ? [check.or.action] : [])]);
  return [...new Set(calls.flatMap((call) => [call.iamAction as string, ...also(call)]))].sort();
}

export const warningsOf = (run: ActionRun) => run.lines.filter((line) => line.text.startsWith('::warning')).map((line) => line.text);

/** A PAUSE hook after test traffic, which waits an hour (three minutes here) before ECS rolls back on its own. */
export const PAUSE_AT_TEST_TRAFFIC: DeploymentLifecycleHook[] = [
  { targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'], timeoutConfiguration: { timeoutInMinutes: 60, action: 'ROLLBACK' } },
];

/** A CodeDeploy group's waits: at Ready (an hour, three minutes here, for an answer) or not, then the termination wait. */
export const codeDeployWaits = (ready: 'STOP_DEPLOYMENT' | 'CONTINUE_DEPLOYMENT', terminationWaitTimeInMinutes: number) => ({
  blueGreenDeploymentConfiguration: {
    deploymentReadyOption: { actionOnTimeout: ready, waitTimeInMinutes: ready === 'STOP_DEPLOYMENT' ? 60 : 0 },
    terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE' as const, terminationWaitTimeInMinutes },
  },
});

/** A verify-health probe that checks often and gives up soon, for scenarios whose verdict comes in seconds. */
export const QUICK_PROBE = { interval: '0.2s', timeout: '30s' };

interface ServiceOptions {
  loadBalancers?: LoadBalancer[];
  /** How the service's tasks behave (default: healthy, started in 200 ms). */
  outcome?: Parameters<Sandbox['script']>[1];
  deploymentConfiguration?: DeploymentConfiguration;
  healthCheck?: HealthCheck;
  secrets?: Secret[];
}

/**
 * The least-privilege sandbox of a test file (started in beforeAll, stopped in afterAll) and the worlds its scenarios
 * prepare in it. The roles every scenario's revision names (ROLES), as the README's iam:PassRole statement names one
 * task role and one execution role: the task role exists and trusts ECS, and the execution role, shared by the
 * blue/green and CodeDeploy fixtures' revisions too, may also read the secrets scenarios' secrets (ECS stops a task
 * otherwise).
 */
export function useLeastPrivilegeSandbox() {
  const sandbox = useSandbox({
    timeScale: 0.05,
    seed: { roles: [{ RoleName: 'lp-task-role' }, secretsReaderRole('ecsTaskExecutionRole')] },
    catalog: {
      ...blueGreenCatalog(),
      [WEB]: { command: ['node', '-e', "require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT)"] },
    },
  });
  let names = 0;
  const uniqueService = (prefix: string) => `lp-${prefix}-${++names}`;

  /** A revision as a platform team registers one: a task role, an execution role, tags, awslogs. */
  async function registerRevision(
    name: string,
    image: string,
    healthCheck?: HealthCheck,
    secrets?: Secret[],
    outcome: Parameters<Sandbox['script']>[1] = { kind: 'healthy', startMs: 200 },
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

  /** An EventBridge rule (`rule`) and a Scheduler schedule (`schedule`), daily, each with an ECS target on `taskDefinitionArn`. */
  async function scheduleTasks(cluster: string, taskDefinitionArn: string, rule: string, schedule: string, targetId: string) {
    const role = `arn:aws:iam::${sandbox.accountId}:role/${ROLES.scheduled}`;
    const clusterArn = `arn:aws:ecs:${sandbox.region}:${sandbox.accountId}:cluster/${cluster}`;
    const events = new EventBridgeClient(clientConfig(sandbox));
    await events.send(new PutRuleCommand({ Name: rule, ScheduleExpression: 'rate(1 day)' }));
    await events.send(
      new PutTargetsCommand({
        Rule: rule,
        Targets: [{ Id: targetId, Arn: clusterArn, RoleArn: role, EcsParameters: { TaskDefinitionArn: taskDefinitionArn } }],
      }),
    );
    await new SchedulerClient(clientConfig(sandbox)).send(
      new CreateScheduleCommand({
        Name: schedule,
        ScheduleExpression: 'rate(1 day)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: clusterArn, RoleArn: role, EcsParameters: { TaskDefinitionArn: taskDefinitionArn } },
      }),
    );
  }

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

  return {
    sandbox,
    uniqueService,
    registerRevision,
    createService,
    createServiceWithSecrets,
    scheduleTasks,
    blueGreenRelease,
    codeDeployService,
    codeDeployRelease,
  };
}

/** One of an action's e2e scenarios: a fresh world for each run of it, and the verdict the documented policy gets. */
export interface Scenario {
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

/** What a run without an optional permission must still do, beside the scenario's own verdict, by permission. */
export type Degradations = Record<string, (run: ActionRun) => void>;

/** The pre-flight rows deploy-ecs and run-migration share, each a warning when its read is refused. */
export const PREFLIGHT_DEGRADED: Degradations = {
  'ecr:DescribeImages': (run) => expect(run.log).toMatch(/warn {2}Images exist +container "\S+" runs \S+, not checked/),
  'ssm:DescribeParameters': (run) =>
    expect(run.log).toMatch(/warn {2}Secrets exist +SSM parameter \S+ \(\S+\) of container "\S+" was not checked/),
  'secretsmanager:DescribeSecret': (run) =>
    expect(run.log).toMatch(/warn {2}Secrets exist +Secrets Manager secret \S+ \(\S+\) of container "\S+" was not checked/),
  // The roles are not looked up, nor the execution role's reads simulated: each row is a warning naming the permission.
  'iam:GetRole': (run) => expect(run.log).toMatch(/warn {2}Roles exist and trust ECS +Not checked: .*may not call iam:GetRole/),
  'iam:SimulatePrincipalPolicy': (run) =>
    expect(run.log).toMatch(/warn {2}Execution role may read the secrets +Not checked: .*may not call iam:SimulatePrincipalPolicy/),
};

/** The traffic-resources pre-flight row of a blue/green or CODE_DEPLOY service, a warning for want of `operation`. */
export const TRAFFIC_NOT_CHECKED = (operation: string) =>
  new RegExp(
    `warn {2}(Alternate target group and listener rules|Target groups and listeners) +.* was not checked: the role may not call elasticloadbalancing:${operation}`,
  );

/** A README row, for the tables below: its permission and what it says of it (a permission may have two rows). */
const labelOf = (row: DocumentedPermission) => `${row.action} (${row.need})`;

/** A README row to prove, and (for a row that begins "with ") the scenario meeting its condition to prove it on. */
interface Proof {
  action: EcsAction;
  row: DocumentedPermission;
  scenario?: Scenario;
}

const conditionsOf = (scenario: Scenario) => (scenario.condition === undefined ? [] : [scenario.condition].flat());

/**
 * The three proofs of `action`'s README policy on `scenarios` (all of that action), against `sandbox`: `notReached`
 * names the documented rows no scenario reaches (by labelOf, each with why), `degraded` what a run without each
 * optional permission still does.
 */
export function proveDocumentedPolicy(
  sandbox: Sandbox,
  action: EcsAction,
  scenarios: Scenario[],
  { notReached = {}, degraded = {} }: { notReached?: Record<string, string>; degraded?: Degradations },
): void {
  const statementsOf = (of: string) => forAccount(policyOf(of).statements, sandbox.accountId, ROLES);
  /** What each scenario needed with the documented policy, filled by the first group. */
  const neededBy = new Map<Scenario, string[]>();

  /** The rows of each `need` that a scenario reaches: a conditioned row once for each scenario that meets its condition. */
  function proofs(need: DocumentedPermission['need']): Proof[] {
    return policyOf(action)
      .permissions.filter((row) => row.need === need && !notReached[labelOf(row)])
      .flatMap((row): Proof[] => {
        if (!row.conditioned) return [{ action, row }];
        const meeting = scenarios.filter((scenario) => conditionsOf(scenario).some((condition) => row.why.includes(condition)));
        return meeting.length ? meeting.map((scenario) => ({ action, row, scenario })) : [{ action, row }];
      });
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
    const first = scenarios.find((candidate) => !candidate.condition && neededBy.get(candidate)?.includes(row.action));
    if (!first) throw new Error(`README lists ${labelOf(row)} for ${action}, but no scenario needed it`);
    return first;
  }
  const where = (proof: Proof) => proof.scenario?.name ?? 'its first scenario that needed it';

  group('the documented policy is enough for every scenario', () => {
    test.concurrent.each(scenarios.map((scenario) => [scenario.action, scenario.name, scenario] as const))(
      '%s: %s',
      async (action, _name, scenario) => {
        const { run, calls } = await runAs(action, await scenario.prepare(), statementsOf(action), { sandbox });
        // No call was refused: nothing outside the documented policy was needed.
        expect(calls.filter((call) => call.accessDenied).map((call) => call.accessDenied)).toEqual([]);
        scenario.verdict(run);
        scenario.complete?.(run);
        neededBy.set(scenario, needed(calls));
      },
    );

    test.each([[action]])('%s: every row the README lists was needed by a scenario it is proven on', (of) => {
      const unproven = ALL_PROOFS.filter((proof) => proof.action === of).flatMap((proof) => {
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
      const { run, calls } = await runAs(action, await scenario.prepare(), without(statementsOf(action), permission), { sandbox });

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

  const OPTIONAL = proofs('optional').map((proof) => [proof.action, proof.row.action, where(proof), proof] as const);

  // An action without optional permissions (verify-health) has no such group: jest refuses an empty table.
  if (OPTIONAL.length === 0) return;
  group('each optional permission degrades as documented: the same verdict, a warning naming it', () => {
    test.concurrent.each(OPTIONAL)('%s without %s, in %s', async (action, permission, _where, proof) => {
      const scenario = scenarioFor(proof);
      const { run, calls } = await runAs(action, await scenario.prepare(), without(statementsOf(action), permission), { sandbox });

      expect(calls.find((call) => call.accessDenied)?.accessDenied).toMatch(new RegExp(`^${permission} on `));
      scenario.verdict(run);
      expect(warningsOf(run).join('\n')).toContain(permission);
      const degradation = degraded[permission];
      if (!degradation) throw new Error(`say what ${action} does without ${permission}, as its README does`);
      degradation(run);
    });
  });
}

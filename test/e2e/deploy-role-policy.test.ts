import { describe, expect, test } from '@jest/globals';
import { CreateClusterCommand, CreateServiceCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import type { ApiCall, IamStatement } from '@ecs-deploy/sandbox';
import { ecsClient, REGISTRY, waitForSteady } from '../support/ecs-fixtures';
import { deployRoleFor, deployRolePolicy } from '../support/readme-policies';
import { errorsOf, runBundledAction, type ActionRun } from '../support/run-action';
import { useSandbox } from '../support/use-sandbox';

// README's combined, scoped policy for the deploy role (README, "The deploy role"), with its placeholders filled in for
// this sandbox, as the only permissions of the main template's ECS steps: staging's migrate, deploy and verify of a
// healthy release, and production's deploy of a crashing release and its rollback. The sandbox judges each call's IAM
// action on its resource (the service, its tasks and service deployments, the family's task definitions, the roles
// passed), so a statement scoped to the wrong resource type or name is refused here as AWS would refuse it. Conditions
// (ecs:CreateAction, iam:PassedToService) are not judged by the sandbox. The ECR statement is checked at the level of
// its actions only (test/static/readme-deploy-role-policy.test.ts): build-push's calls need the build world, and the
// images here come from a central registry of another account, whose pre-flight reads the policy does not cover.

const SERVICE = 'dr-web';
const TASK_ROLE = 'dr-task-role';
const EXECUTION_ROLE = 'ecsTaskExecutionRole';
const CLUSTERS = { staging: 'dr-staging', production: 'dr-production' };
const LOG_GROUP = `/ecs/${SERVICE}`;

const sandbox = useSandbox({ timeScale: 0.05, seed: { roles: [{ RoleName: TASK_ROLE }] } });

/** The README's policy as a team fills it in for this service, in this sandbox's region and account. */
const policyFor = (service = SERVICE): IamStatement[] =>
  deployRoleFor(deployRolePolicy(), {
    region: sandbox.region,
    'your-account-id': sandbox.accountId,
    'your-staging-cluster': CLUSTERS.staging,
    'your-production-cluster': CLUSTERS.production,
    'your-service': service,
    'your-family': service,
    'your-ecr-repository': service,
    'your-task-role': TASK_ROLE,
    'your-execution-role': EXECUTION_ROLE,
    'your-log-group': LOG_GROUP,
  });

let keys = 0;
/** Runs an action signed with an access key of its own, which the sandbox gives `statements` alone. */
async function runAs(
  action: string,
  inputs: Record<string, string>,
  statements = policyFor(),
): Promise<{ run: ActionRun; calls: ApiCall[] }> {
  const key = `AKIADEPLOYROLE${++keys}`;
  sandbox.setIamPolicy({ Statement: statements, role: 'deploy', session: 'GitHubActions' }, key);
  const run = await runBundledAction(action, inputs, { env: { ...sandbox.env(), AWS_ACCESS_KEY_ID: key } });
  return { run, calls: sandbox.calls.filter((call) => call.accessKeyId === key) };
}
/**
 * The calls the policy refused. The images here live in a central registry (REGISTRY, another account than the
 * role's): the policy's Image statement names the role's own repository, so the pre-flight's ECR reads of another
 * repository are refused, which README documents ("A revision with images from other ECR repositories ... needs
 * ecr:DescribeImages and ecr:BatchGetImage on those too, or its pre-flight says with a warning that they were not
 * checked"); imageWarnings proves that warning. Every other refusal counts.
 */
const CENTRAL_READ = /^ecr:(DescribeImages|BatchGetImage) on arn:aws:ecr:[a-z0-9-]+:(\d{12}):repository\//;
const refused = (calls: ApiCall[]) =>
  calls
    .filter((call) => call.accessDenied)
    .map((call) => call.accessDenied as string)
    .filter((denied) => CENTRAL_READ.exec(denied)?.[2] !== REGISTRY.split('.')[0]);
const imageWarnings = (run: ActionRun) =>
  run.lines.filter(
    (line) => line.text.startsWith('::warning') && line.text.includes('not checked') && line.text.includes('ecr:DescribeImages'),
  );
const operations = (calls: ApiCall[]) => [...new Set(calls.map((call) => call.operation))];

/** The service as the template expects it: one task of a revision with a task role, an execution role and awslogs. */
async function createService(cluster: string) {
  const ecs = ecsClient(sandbox);
  await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  sandbox.script(`${REGISTRY}/${SERVICE}:v1`, { kind: 'healthy', startMs: 200 });
  const registered = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: SERVICE,
      taskRoleArn: `arn:aws:iam::${sandbox.accountId}:role/${TASK_ROLE}`,
      executionRoleArn: `arn:aws:iam::${sandbox.accountId}:role/${EXECUTION_ROLE}`,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        {
          name: SERVICE,
          image: `${REGISTRY}/${SERVICE}:v1`,
          essential: true,
          portMappings: [{ containerPort: 8080 }],
          logConfiguration: {
            logDriver: 'awslogs',
            options: {
              'awslogs-group': LOG_GROUP,
              'awslogs-region': sandbox.region,
              'awslogs-stream-prefix': 'ecs',
              'awslogs-create-group': 'true',
            },
          },
        },
      ],
    }),
  );
  await ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: SERVICE,
      taskDefinition: registered.taskDefinition?.taskDefinitionArn,
      desiredCount: 1,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d'], securityGroups: ['sg-0a1b2c3d'] } },
      deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 },
    }),
  );
  await waitForSteady(sandbox, cluster, SERVICE);
}

describe("README's combined deploy-role policy runs the main template's ECS steps", () => {
  test('staging: the migration, the deploy and the verification of a healthy release, no call refused', async () => {
    const cluster = CLUSTERS.staging;
    await createService(cluster);
    sandbox.script(`${REGISTRY}/${SERVICE}:v2-migrate`, { kind: 'exit', exitCode: 0, afterMs: 300, logs: ['migrated up: 004_orders'] });
    sandbox.script(`${REGISTRY}/${SERVICE}:v2`, { kind: 'healthy', startMs: 300 });

    const migrate = await runAs('run-migration', {
      cluster,
      service: SERVICE,
      image: `${REGISTRY}/${SERVICE}:v2-migrate`,
      command: 'npm run migrate',
      timeout: '15m',
    });
    expect(refused(migrate.calls)).toEqual([]);
    expect(migrate.run.exitCode).toBe(0);
    expect(migrate.run.log).toContain('migrated up: 004_orders');
    expect(operations(migrate.calls)).toEqual(
      expect.arrayContaining(['RegisterTaskDefinition', 'RunTask', 'DescribeTasks', 'GetLogEvents']),
    );

    const deploy = await runAs('deploy-ecs', { cluster, service: SERVICE, image: `${REGISTRY}/${SERVICE}:v2`, timeout: '15m' });
    expect(refused(deploy.calls)).toEqual([]);
    expect(deploy.run.outputs.status).toBe('succeeded');
    expect(operations(deploy.calls)).toEqual(expect.arrayContaining(['RegisterTaskDefinition', 'UpdateService', 'GetRole']));
    expect(imageWarnings(deploy.run)).toHaveLength(1);

    const verify = await runAs('verify-health', {
      cluster,
      service: SERVICE,
      'task-definition': deploy.run.outputs['task-definition-arn'],
      interval: '0.2s',
      timeout: '30s',
      'success-threshold': '2',
    });
    expect(refused(verify.calls)).toEqual([]);
    expect(verify.run.outputs.healthy).toBe('true');
  });

  test('production: a crashing release fails the deploy and is rolled back, no call refused', async () => {
    const cluster = CLUSTERS.production;
    await createService(cluster);
    sandbox.script(`${REGISTRY}/${SERVICE}:v3`, { kind: 'exit', exitCode: 1, afterMs: 300, logs: ['Error: ORDERS_URL is required'] });

    const deploy = await runAs('deploy-ecs', { cluster, service: SERVICE, image: `${REGISTRY}/${SERVICE}:v3`, timeout: '15m' });
    expect(refused(deploy.calls)).toEqual([]);
    expect(deploy.run.outputs.status).toBe('failed');
    // The diagnosis reads the stopped tasks and the crashed container's log under the scoped policy too.
    expect(errorsOf(deploy.run).join('\n')).toContain('Error: ORDERS_URL is required');

    const rollback = await runAs('auto-rollback', {
      cluster,
      service: SERVICE,
      'task-definition': deploy.run.outputs['previous-task-definition-arn'],
      timeout: '10m',
      reason: 'deploy failed',
    });
    expect(refused(rollback.calls)).toEqual([]);
    expect(rollback.run.outputs['rolled-back']).toBe('true');
    expect(operations(rollback.calls)).toEqual(expect.arrayContaining(['StopServiceDeployment']));
  });

  test('the scope holds: the same policy filled in for another service refuses this one, naming the permission', async () => {
    const { run, calls } = await runAs(
      'deploy-ecs',
      { cluster: CLUSTERS.staging, service: SERVICE, image: `${REGISTRY}/${SERVICE}:v2` },
      policyFor('dr-other'),
    );
    expect(run.exitCode).toBe(1);
    expect(refused(calls)).toEqual([expect.stringContaining('ecs:DescribeServices')]);
    expect(errorsOf(run).join('\n')).toContain('ecs:DescribeServices');
  });
});

import { beforeAll, describe as group, expect, test } from '@jest/globals';
import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import { DeregisterTaskDefinitionCommand, DescribeTaskDefinitionCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mutatingCalls } from '../support/bad-input';
import { createService, describe, ecsClient, registerLike as registerLikeIn, REGISTRY } from '../support/ecs-fixtures';
import { errorsOf, runBundledAction } from '../support/run-action';
import { clientConfig } from '../support/sandbox-harness';
import { useSandbox } from '../support/use-sandbox';

// deploy-ecs's task-definition as a revision ECS already has (registered by Terraform, CDK or an earlier job), and
// deploy-ecs without a service (register only, for scheduled and one-off tasks), through the bundled action.
const sandbox = useSandbox({ timeScale: 0.2 });
const ecs = () => ecsClient(sandbox);

let workdir: string;
const deploy = (inputs: Record<string, string>) => runBundledAction('deploy-ecs', inputs, { env: sandbox.env(), cwd: workdir });
/** The operations the sandbox answered since `from` (an index into its call log). */
const operationsSince = (from: number) => sandbox.calls.slice(from).map((call) => call.operation);
const revisions = async (family: string) =>
  (await ecs().send(new ListTaskDefinitionsCommand({ familyPrefix: family }))).taskDefinitionArns ?? [];

const registerLike = (arn: string, image: string) => registerLikeIn(sandbox, arn, image);

beforeAll(() => {
  workdir = mkdtempSync(join(tmpdir(), 'existing-revision-'));
});

group('deploy-ecs deploys a registered revision as it is', () => {
  test('family:revision: the service is updated to it, and nothing is registered', async () => {
    const { cluster, service, taskDefinitionArn } = await createService(sandbox, { service: 'terra', image: `${REGISTRY}/terra:v1` });
    const terraform = await registerLike(taskDefinitionArn, `${REGISTRY}/terra:v2`);
    const callsBefore = sandbox.calls.length;

    const run = await deploy({ cluster, service, 'task-definition': 'terra:2' });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
    expect(run.outputs['task-definition-arn']).toBe(terraform);
    expect(run.outputs['previous-task-definition-arn']).toBe(taskDefinitionArn);
    expect(operationsSince(callsBefore)).not.toContain('RegisterTaskDefinition');
    expect(operationsSince(callsBefore)).toContain('UpdateService');
    expect(run.log).toContain('Deploying terra:2 as registered (task-definition); no revision registered.');
    expect(await revisions('terra')).toHaveLength(2);
    const live = await describe(sandbox, cluster, service);
    expect(live.taskDefinition).toBe(terraform);
    expect(live.runningCount).toBe(live.desiredCount);
  });

  test("a bare family: its newest ACTIVE revision, the family's history unchanged", async () => {
    const { cluster, service, taskDefinitionArn } = await createService(sandbox, { service: 'cdk', image: `${REGISTRY}/cdk:v1` });
    await registerLike(taskDefinitionArn, `${REGISTRY}/cdk:v2`);
    const newest = await registerLike(taskDefinitionArn, `${REGISTRY}/cdk:v3`);

    const run = await deploy({ cluster, service, 'task-definition': 'cdk' });

    expect(run.exitCode).toBe(0);
    expect(run.outputs['task-definition-arn']).toBe(newest);
    expect((await describe(sandbox, cluster, service)).taskDefinition).toBe(newest);
    expect(await revisions('cdk')).toHaveLength(3);
  });

  test('an ARN the service already runs: settled, no UpdateService', async () => {
    const { cluster, service, taskDefinitionArn } = await createService(sandbox, { service: 'pinned', image: `${REGISTRY}/pinned:v1` });
    const callsBefore = sandbox.calls.length;

    const run = await deploy({ cluster, service, 'task-definition': taskDefinitionArn });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
    expect(run.outputs['task-definition-arn']).toBe(taskDefinitionArn);
    expect(mutatingCalls(sandbox.calls.slice(callsBefore))).toEqual([]);
  });

  test('a file named like a family that exists in the workspace stays a file', async () => {
    const { cluster, service, taskDefinitionArn } = await createService(sandbox, { service: 'plain', image: `${REGISTRY}/plain:v1` });
    const { taskDefinition } = await ecs().send(new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }));
    const file = {
      family: 'plain',
      executionRoleArn: taskDefinition?.executionRoleArn,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: taskDefinition?.cpu,
      memory: taskDefinition?.memory,
      containerDefinitions: taskDefinition?.containerDefinitions?.map((container) => ({ ...container, image: `${REGISTRY}/plain:v2` })),
    };
    writeFileSync(join(workdir, 'plain'), JSON.stringify(file));

    const run = await deploy({ cluster, service, 'task-definition': 'plain' });

    expect(run.exitCode).toBe(0);
    expect(run.log).toContain('Registered plain:2.');
    expect((await describe(sandbox, cluster, service)).taskDefinition).toBe(run.outputs['task-definition-arn']);
  });
});

group('deploy-ecs refuses a registered revision it cannot deploy, before any change', () => {
  let cluster: string;
  let service: string;
  let live: string;
  beforeAll(async () => {
    ({ cluster, service, taskDefinitionArn: live } = await createService(sandbox, { service: 'guarded', image: `${REGISTRY}/guarded:v1` }));
  });

  /** The step failed with one error matching `error` and naming `input`, and nothing in the sandbox changed. */
  async function expectRefused(inputs: Record<string, string>, input: string | undefined, error: RegExp) {
    const before = JSON.stringify(sandbox.snapshot());
    const callsBefore = sandbox.calls.length;
    const run = await deploy({ cluster, service, ...inputs });
    expect(run.exitCode).toBe(1);
    const errors = errorsOf(run);
    expect(errors).toEqual([expect.stringMatching(error)]);
    if (input) expect(errors[0]).toContain(`'${input}'`);
    expect(mutatingCalls(sandbox.calls.slice(callsBefore))).toEqual([]);
    expect(JSON.stringify(sandbox.snapshot())).toBe(before);
    expect((await describe(sandbox, cluster, service)).taskDefinition).toBe(live);
  }

  test('a family that does not exist', async () => {
    await expectRefused(
      { 'task-definition': 'nonexistent-family' },
      'task-definition',
      /^Input 'task-definition': there is no task definition "nonexistent-family" in us-east-1 .*Give a revision registered in this account and region/,
    );
  });

  test('a revision number the family does not have', async () => {
    await expectRefused(
      { 'task-definition': 'guarded:9' },
      'task-definition',
      /^Input 'task-definition': there is no task definition "guarded:9"/,
    );
  });

  test('an INACTIVE revision, named', async () => {
    const old = await registerLike(live, `${REGISTRY}/guarded:v0`);
    await ecs().send(new DeregisterTaskDefinitionCommand({ taskDefinition: old }));
    await expectRefused(
      { 'task-definition': old },
      'task-definition',
      new RegExp(
        `^Input 'task-definition': ${old.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is INACTIVE, and ECS does not update a service to a revision that is not ACTIVE\\. Register it again`,
      ),
    );
  });

  test('a malformed task definition ARN', async () => {
    await expectRefused(
      { 'task-definition': `arn:aws:ecs:us-east-1:${sandbox.accountId}:task-definition/guarded:latest` },
      'task-definition',
      /^Input 'task-definition' is an ARN but not a task definition ARN/,
    );
  });

  test('an image beside a registered revision, which nothing would carry', async () => {
    await expectRefused(
      { 'task-definition': 'guarded:1', image: `${REGISTRY}/guarded:v2` },
      'image',
      /^Input 'task-definition' names the registered revision "guarded:1", which is deployed as it is: nothing is registered to carry 'image'/,
    );
  });

  test("the revision's image does not exist: the images check runs on the described revision", async () => {
    await new ECRClient(clientConfig(sandbox)).send(new CreateRepositoryCommand({ repositoryName: 'guarded' }));
    const own = `${sandbox.accountId}.dkr.ecr.${sandbox.region}.amazonaws.com`;
    const unpushed = await registerLike(live, `${own}/guarded:never-pushed`);
    // The images check names the container and the image (as it does for a file), not the input.
    await expectRefused(
      { 'task-definition': unpushed },
      undefined,
      /^container "guarded" runs .*\/guarded:never-pushed, which is not in repository guarded .*Nothing was changed\.$/,
    );
  });
});

group('deploy-ecs without a service registers the file only', () => {
  const fileFor = (family: string, image: string) => ({
    family,
    executionRoleArn: `arn:aws:iam::${sandbox.accountId}:role/ecsTaskExecutionRole`,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    containerDefinitions: [{ name: 'job', image, essential: true, command: ['report'] }],
  });

  test('registers it, outputs its ARN with status registered-only, and calls nothing on a service', async () => {
    writeFileSync(join(workdir, 'nightly.json'), JSON.stringify(fileFor('nightly', `${REGISTRY}/nightly:v1`)));
    const callsBefore = sandbox.calls.length;

    const run = await deploy({ cluster: 'prod', 'task-definition': 'nightly.json', image: `${REGISTRY}/nightly:v2` });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('registered-only');
    const [arn] = await revisions('nightly');
    expect(run.outputs['task-definition-arn']).toBe(arn);
    expect(run.outputs['deployment-id']).toBe('');
    const operations = operationsSince(callsBefore);
    expect(mutatingCalls(sandbox.calls.slice(callsBefore))).toEqual(['ecs:RegisterTaskDefinition']);
    expect(operations.filter((operation) => /Service/.test(operation))).toEqual([]);
    const { taskDefinition } = await ecs().send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
    expect(taskDefinition?.containerDefinitions?.[0].image).toBe(`${REGISTRY}/nightly:v2`);
    expect(run.log).toContain('No service was given: no service was updated');
  });

  test('run again with the same file, the identical newest revision is reused', async () => {
    writeFileSync(join(workdir, 'weekly.json'), JSON.stringify(fileFor('weekly', `${REGISTRY}/weekly:v1`)));
    const first = await deploy({ cluster: 'prod', 'task-definition': 'weekly.json' });
    const callsBefore = sandbox.calls.length;

    const again = await deploy({ cluster: 'prod', 'task-definition': 'weekly.json' });

    expect(again.exitCode).toBe(0);
    expect(again.outputs['task-definition-arn']).toBe(first.outputs['task-definition-arn']);
    expect(again.outputs.status).toBe('registered-only');
    expect(mutatingCalls(sandbox.calls.slice(callsBefore))).toEqual([]);
    expect(await revisions('weekly')).toHaveLength(1);
  });

  test('a service input without a service is refused before any call', async () => {
    writeFileSync(join(workdir, 'hourly.json'), JSON.stringify(fileFor('hourly', `${REGISTRY}/hourly:v1`)));
    const callsBefore = sandbox.calls.length;
    const run = await deploy({ cluster: 'prod', 'task-definition': 'hourly.json', 'desired-count': '2' });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([expect.stringMatching(/^Input 'desired-count' acts on a service, but 'service' is not given/)]);
    expect(sandbox.calls.slice(callsBefore)).toEqual([]);
  });
});

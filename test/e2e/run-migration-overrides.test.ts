import { beforeAll, describe as group, expect, test } from '@jest/globals';
import { DescribeTaskDefinitionCommand, DescribeTasksCommand, ListTaskDefinitionsCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { mutatingCalls } from '../support/bad-input';
import { createService, ecsClient, REGISTRY } from '../support/ecs-fixtures';
import { errorsOf, runBundledAction } from '../support/run-action';
import { useSandbox } from '../support/use-sandbox';

// run-migration's cpu, memory and task-role-arn inputs: RunTask's task-level overrides for the one-off task,
// through the bundled action against the sandbox, and refused before any change where ECS would refuse them.
const sandbox = useSandbox({ timeScale: 0.2 });
const ecs = () => ecsClient(sandbox);
const migrator = () => `arn:aws:iam::${sandbox.accountId}:role/schema-migrator`;

const migrate = (inputs: Record<string, string>) =>
  runBundledAction('run-migration', { cluster: 'prod', service: 'orders', command: 'migrate', ...inputs }, { env: sandbox.env() });
const revisions = async () => (await ecs().send(new ListTaskDefinitionsCommand({ familyPrefix: 'orders' }))).taskDefinitionArns ?? [];

let revision: string;
beforeAll(async () => {
  // Fargate, 256 CPU units and 1024 MiB; its container asks for no memory of its own.
  ({ taskDefinitionArn: revision } = await createService(sandbox, { service: 'orders', image: `${REGISTRY}/orders:v1`, desiredCount: 1 }));
  sandbox.script(`${REGISTRY}/orders:v1`, { kind: 'exit', exitCode: 0, afterMs: 100, logs: ['migrated'] });
});

group('run-migration runs the one-off task with the size and role given', () => {
  test('cpu and memory: RunTask overrides them, the task runs at that size, and no revision is registered', async () => {
    const before = await revisions();
    const callsBefore = sandbox.calls.length;

    const run = await migrate({ cpu: '1024', memory: '4096' });

    expect(run.exitCode).toBe(0);
    expect(run.outputs['task-definition-arn']).toBe(revision);
    expect(await revisions()).toEqual(before);
    expect(mutatingCalls(sandbox.calls.slice(callsBefore))).toEqual(['ecs:RunTask']);
    const { tasks } = await ecs().send(new DescribeTasksCommand({ cluster: 'prod', tasks: [run.outputs['task-arn']] }));
    expect(tasks?.[0]).toMatchObject({ cpu: '1024', memory: '4096', overrides: expect.objectContaining({ cpu: '1024', memory: '4096' }) });
    expect(run.log).toContain('the task runs at 1024 CPU units and 4096 MiB');
  });

  test("memory alone pairs with the revision's cpu", async () => {
    const run = await migrate({ memory: '2048' });
    expect(run.exitCode).toBe(0);
    const { tasks } = await ecs().send(new DescribeTasksCommand({ cluster: 'prod', tasks: [run.outputs['task-arn']] }));
    expect(tasks?.[0]).toMatchObject({ cpu: '256', memory: '2048' });
  });

  test('task-role-arn: the task assumes that role, and the job passes it (iam:PassRole on it)', async () => {
    const callsBefore = sandbox.calls.length;

    const run = await migrate({ 'task-role-arn': migrator() });

    expect(run.exitCode).toBe(0);
    const { tasks } = await ecs().send(new DescribeTasksCommand({ cluster: 'prod', tasks: [run.outputs['task-arn']] }));
    expect(tasks?.[0].overrides?.taskRoleArn).toBe(migrator());
    const runTask = sandbox.calls.slice(callsBefore).find((call) => call.operation === 'RunTask');
    expect(runTask?.iamAlso).toEqual(expect.arrayContaining([{ action: 'iam:PassRole', resource: migrator() }]));
    // The revision keeps its own task role: nothing registered, nothing changed.
    const { taskDefinition } = await ecs().send(new DescribeTaskDefinitionCommand({ taskDefinition: revision }));
    expect(taskDefinition?.taskRoleArn).toBeUndefined();
  });
});

group('run-migration refuses a size or role ECS would refuse, before any change', () => {
  const rows: Array<[string, Record<string, string>, string, RegExp]> = [
    [
      'cpu that is not a whole number',
      { cpu: '0.5' },
      'cpu',
      /^Input 'cpu' must be a whole number of CPU units \(1024 is 1 vCPU\), e\.g\. 512; got "0\.5"\.$/,
    ],
    [
      'memory with a unit',
      { memory: '2GB' },
      'memory',
      /^Input 'memory' must be a whole number of MiB \(1024 is 1 GiB\), e\.g\. 2048; got "2GB"\.$/,
    ],
    [
      'a malformed role ARN',
      { 'task-role-arn': 'arn:aws:iam::000000000000:user/migrator' },
      'task-role-arn',
      /^Input 'task-role-arn' must be the ARN of an IAM role, arn:aws:iam::<account>:role\/<name>; got ".*:user\/migrator"\.$/,
    ],
    [
      'a cpu Fargate does not offer, with launch-type FARGATE (judged by the parser)',
      { 'launch-type': 'FARGATE', cpu: '300', memory: '1024' },
      'cpu',
      /^Inputs 'cpu' and 'memory': Fargate offers no task of 300 CPU units; it takes 256, 512, 1024, 2048, 4096, 8192, 16384\. Nothing was started\.$/,
    ],
    [
      "a pair Fargate does not offer, on the service's Fargate placement",
      { cpu: '1024', memory: '1024' },
      'cpu',
      /^Inputs 'cpu' \(1024\) and 'memory' \(1024\) make the task 1024 CPU units and 1024 MiB on Fargate: Fargate offers no task of 1024 CPU units with 1024 MiB; with 1024 it takes 2048 to 8192 in steps of 1024 MiB\. Nothing was started\.$/,
    ],
    [
      "memory that does not pair with the revision's cpu",
      { memory: '4096' },
      'memory',
      /^Input 'memory' \(4096\) makes the task 256 CPU units and 4096 MiB on Fargate: .*with 256 it takes 512, 1024, 2048 MiB\./,
    ],
    [
      'a bad size beside an image, before the revision for it is registered',
      { image: `${REGISTRY}/orders:v2`, cpu: '512', memory: '512' },
      'cpu',
      /make the task 512 CPU units and 512 MiB on Fargate: Fargate offers no task of 512 CPU units with 512 MiB/,
    ],
  ];
  test.each(rows)('%s', async (_name, inputs, input, error) => {
    const before = JSON.stringify(sandbox.snapshot());
    const callsBefore = sandbox.calls.length;
    const run = await migrate(inputs);
    expect(run.exitCode).toBe(1);
    const errors = errorsOf(run);
    expect(errors).toEqual([expect.stringMatching(error)]);
    expect(errors[0]).toContain(`'${input}'`);
    expect(mutatingCalls(sandbox.calls.slice(callsBefore))).toEqual([]);
    expect(JSON.stringify(sandbox.snapshot())).toBe(before);
    expect(run.outputs['task-arn']).toBeUndefined();
  });
});

group('the sandbox refuses the overrides ECS refuses', () => {
  const runTask = (overrides: Record<string, string>) =>
    ecs().send(
      new RunTaskCommand({
        cluster: 'prod',
        taskDefinition: revision,
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d'] } },
        overrides,
      }),
    );

  test('a Fargate size not in the table: ClientException, no task', async () => {
    await expect(runTask({ cpu: '2048', memory: '2048' })).rejects.toMatchObject({
      name: 'ClientException',
      message: expect.stringMatching(/^No Fargate configuration exists for given values: 2048 CPU, 2048 memory\./),
    });
  });

  test('a task memory below a container memory: ClientException', async () => {
    const { taskDefinition } = await ecs().send(new DescribeTaskDefinitionCommand({ taskDefinition: revision }));
    const registered = await ecs().send(
      new (await import('@aws-sdk/client-ecs')).RegisterTaskDefinitionCommand({
        family: 'sized',
        executionRoleArn: taskDefinition?.executionRoleArn,
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '2048',
        containerDefinitions: [{ name: 'app', image: `${REGISTRY}/orders:v1`, memory: 1536 }],
      }),
    );
    await expect(
      ecs().send(
        new RunTaskCommand({
          cluster: 'prod',
          taskDefinition: registered.taskDefinition?.taskDefinitionArn,
          launchType: 'FARGATE',
          networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d'] } },
          overrides: { memory: '1024' },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ClientException', message: "The 'memory' setting for container 'app' is greater than for the task." });
  });

  test('a taskRoleArn that is not a role ARN: InvalidParameterException', async () => {
    await expect(runTask({ taskRoleArn: 'schema-migrator' })).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });
});

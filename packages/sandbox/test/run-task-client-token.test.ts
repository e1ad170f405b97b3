import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { CreateClusterCommand, ListTasksCommand, RunTaskCommand, type RunTaskCommandInput } from '@aws-sdk/client-ecs';
import { start, type Sandbox } from '../src/index';
import { container, ecsClient, network, register } from './support/harness';

let sandbox: Sandbox;
let taskDefinition: string;
beforeAll(async () => {
  sandbox = await start({ timeScale: 0.05 });
  const ecs = ecsClient(sandbox);
  await ecs.send(new CreateClusterCommand({ clusterName: 'tokens' }));
  await ecs.send(new CreateClusterCommand({ clusterName: 'elsewhere' }));
  taskDefinition = await register(ecs, 'once', [container('once', 'once:1')]);
});
afterAll(async () => {
  await sandbox.stop();
});

const input = (overrides: Partial<RunTaskCommandInput> = {}): RunTaskCommandInput => ({
  cluster: 'tokens',
  taskDefinition,
  launchType: 'FARGATE',
  networkConfiguration: network,
  startedBy: 'migration',
  ...overrides,
});
const running = async (cluster: string) => (await ecsClient(sandbox).send(new ListTasksCommand({ cluster }))).taskArns ?? [];

describe("RunTask's clientToken (Ensuring idempotency, ECS API reference)", () => {
  test('the same token with the same parameters answers the same task and starts no second one', async () => {
    const ecs = ecsClient(sandbox);
    const first = await ecs.send(new RunTaskCommand(input({ clientToken: 'deploy-42-migrate' })));
    const again = await ecs.send(new RunTaskCommand(input({ clientToken: 'deploy-42-migrate' })));

    expect(again.tasks?.map((task) => task.taskArn)).toEqual(first.tasks?.map((task) => task.taskArn));
    expect(await running('tokens')).toEqual(first.tasks?.map((task) => task.taskArn));
  });

  test('the same token with other parameters is a ConflictException', async () => {
    const ecs = ecsClient(sandbox);
    await ecs.send(new RunTaskCommand(input({ clientToken: 'deploy-43-migrate' })));

    await expect(
      ecs.send(new RunTaskCommand(input({ clientToken: 'deploy-43-migrate', startedBy: 'someone-else' }))),
    ).rejects.toMatchObject({
      name: 'ConflictException',
    });
  });

  test('a token is scoped to its cluster: the same token in another cluster starts a task there', async () => {
    const ecs = ecsClient(sandbox);
    await ecs.send(new RunTaskCommand(input({ clientToken: 'deploy-44-migrate' })));
    const there = await ecs.send(new RunTaskCommand(input({ cluster: 'elsewhere', clientToken: 'deploy-44-migrate' })));

    expect(await running('elsewhere')).toEqual(there.tasks?.map((task) => task.taskArn));
  });

  test('a token longer than 64 characters is refused', async () => {
    await expect(ecsClient(sandbox).send(new RunTaskCommand(input({ clientToken: 'x'.repeat(65) })))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
  });
});

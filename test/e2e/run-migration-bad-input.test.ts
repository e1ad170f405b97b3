import { afterAll, beforeAll, describe as group, expect, test } from '@jest/globals';
import { ListTaskDefinitionsCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { start, type Sandbox } from '@ecs-deploy/sandbox';
import { errorsOf, runBundledAction } from '../support/run-action';
import { createService, ecsClient, REGISTRY } from '../support/ecs-fixtures';

// A sandbox of its own: nothing else moves in it, so any change to its state is the action's doing.
let sandbox: Sandbox;
let cluster: string;
let service: string;

beforeAll(async () => {
  sandbox = await start({ timeScale: 0.2 });
  ({ cluster, service } = await createService(sandbox, { service: 'orders', image: `${REGISTRY}/orders:v1`, desiredCount: 1 }));
});
afterAll(async () => {
  await sandbox?.stop();
});

async function startedAnything(): Promise<{ tasks: number; revisions: number }> {
  const ecs = ecsClient(sandbox);
  const running = await ecs.send(new ListTasksCommand({ cluster, family: service, desiredStatus: 'RUNNING' }));
  const stopped = await ecs.send(new ListTasksCommand({ cluster, family: service, desiredStatus: 'STOPPED' }));
  const revisions = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: service }));
  return {
    tasks: (running.taskArns ?? []).length + (stopped.taskArns ?? []).length,
    revisions: (revisions.taskDefinitionArns ?? []).length,
  };
}

group('run-migration refuses bad input before starting anything', () => {
  const migrate = 'node migrate.mjs up';
  const cases: [string, () => Record<string, string>, RegExp][] = [
    ['no cluster', () => ({ service, command: migrate }), /^Input 'cluster' is required/],
    ['neither task-definition nor service', () => ({ cluster, command: migrate }), /^Input 'task-definition' or 'service' is required/],
    [
      'a command that is malformed JSON',
      () => ({ cluster, service, command: '["node", "migrate.mjs", "up"' }),
      /^Input 'command' starts with "\[" but is not valid JSON.*JSON array of strings/,
    ],
    [
      'a command JSON array holding a number',
      () => ({ cluster, service, command: '["node", 3]' }),
      /^Input 'command' must be a JSON array of strings/,
    ],
    [
      'a command with an unclosed quote',
      () => ({ cluster, service, command: 'node -e "console.log(1)' }),
      /^Input 'command' has an unclosed double quote/,
    ],
    [
      'an awsvpc task definition without service or subnets',
      () => ({ cluster, 'task-definition': service, image: `${REGISTRY}/orders:v2`, command: migrate }),
      /^Input 'subnets' is needed: .*awsvpc.*Nothing was started/,
    ],
    [
      'a task-definition file that does not exist',
      () => ({ cluster, service, 'task-definition': 'deploy/nope.json' }),
      /^Input 'task-definition' names the file "deploy\/nope.json", which does not exist/,
    ],
    [
      'a task definition that does not exist',
      () => ({ cluster, 'task-definition': 'ghost:7' }),
      /^Input 'task-definition': there is no task definition "ghost:7"/,
    ],
    [
      'a task definition that is no family, ARN or file',
      () => ({ cluster, 'task-definition': 'orders:latest' }),
      /^Input 'task-definition' must be family\[:revision\]/,
    ],
    [
      'an unknown container',
      () => ({ cluster, service, container: 'migrator', image: `${REGISTRY}/orders:v2` }),
      /^Input 'container' names "migrator".*"orders"/,
    ],
    [
      'a service that does not exist',
      () => ({ cluster, service: 'ghost', command: migrate }),
      /^Input 'service': there is no active service "ghost"/,
    ],
    ['a malformed timeout', () => ({ cluster, service, timeout: 'ten minutes' }), /^Input 'timeout' must be a duration/],
    [
      'a malformed allow-concurrent',
      () => ({ cluster, service, 'allow-concurrent': 'yes' }),
      /^Input 'allow-concurrent' must be true or false/,
    ],
    ['an unknown launch type', () => ({ cluster, service, 'launch-type': 'LAMBDA' }), /^Input 'launch-type' must be one of FARGATE, EC2/],
    ['a bad environment line', () => ({ cluster, service, environment: 'not a pair' }), /^Input 'environment' must hold KEY=VALUE lines/],
  ];

  test.each(cases)('%s', async (_name, inputs, expected) => {
    const before = JSON.stringify(sandbox.snapshot());
    const counts = await startedAnything();
    const run = await runBundledAction('run-migration', inputs(), { env: sandbox.env() });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([expect.stringMatching(expected)]);
    expect(await startedAnything()).toEqual(counts);
    expect(JSON.stringify(sandbox.snapshot())).toBe(before);
    expect(run.outputs['task-arn']).toBeUndefined();
    expect(run.outputs['task-definition-arn']).toBeUndefined();
  });
});

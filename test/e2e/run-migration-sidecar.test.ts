import { afterAll, beforeAll, describe as group, expect, test } from '@jest/globals';
import { DescribeTasksCommand, type ContainerDefinition } from '@aws-sdk/client-ecs';
import { start, type Sandbox } from '@ecs-deploy/sandbox';
import { createService, ecsClient, REGISTRY } from '../support/ecs-fixtures';
import { errorsOf, runBundledAction } from '../support/run-action';

// A service whose tasks carry an essential log router (FireLens style) next to the app. The migration runs in
// the app container; when it exits, ECS stops the task and the log router, which runs until it is stopped,
// ends with SIGTERM: 143.
let sandbox: Sandbox;
let cluster: string;
const service = 'shop';

const containers = (sandboxRegion: string): ContainerDefinition[] => [
  {
    name: 'app',
    image: `${REGISTRY}/shop:v1`,
    essential: true,
    portMappings: [{ containerPort: 8080 }],
    logConfiguration: {
      logDriver: 'awslogs',
      options: {
        'awslogs-group': '/ecs/shop',
        'awslogs-region': sandboxRegion,
        'awslogs-stream-prefix': 'ecs',
        'awslogs-create-group': 'true',
      },
    },
  },
  { name: 'log-router', image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable', essential: true },
];

beforeAll(async () => {
  sandbox = await start({ timeScale: 0.1 });
  ({ cluster } = await createService(sandbox, {
    service,
    image: `${REGISTRY}/shop:v1`,
    desiredCount: 1,
    containers: containers(sandbox.region),
  }));
});
afterAll(async () => {
  await sandbox?.stop();
});

const migrate = (image: string) =>
  runBundledAction('run-migration', { cluster, service, container: 'app', image, command: 'npm run migrate' }, { env: sandbox.env() });

async function exitCodes(taskArn: string): Promise<Record<string, number | undefined>> {
  const answer = await ecsClient(sandbox).send(new DescribeTasksCommand({ cluster, tasks: [taskArn] }));
  return Object.fromEntries((answer.tasks?.[0].containers ?? []).map((c) => [c.name, c.exitCode]));
}

group('run-migration with an essential sidecar', () => {
  test('a migration that exits 0 succeeds; the log router stopped with 143 is reported for information', async () => {
    const image = `${REGISTRY}/shop:v2`;
    sandbox.script(image, { kind: 'exit', exitCode: 0, afterMs: 300, logs: ['migrated up: 003_add_sku'] });

    const run = await migrate(image);

    expect(await exitCodes(run.outputs['task-arn'])).toEqual({ app: 0, 'log-router': 143 });
    expect(run.exitCode).toBe(0);
    expect(run.outputs['exit-code']).toBe('0');
    expect(errorsOf(run)).toEqual([]);
    expect(run.log).toMatch(
      /succeeded: container "app" exited with code 0 after [\d.]+m?s\. Other containers, for information: "log-router" \(essential\) exited with code 143, ended by SIGTERM as the task stopped\./,
    );
    expect(run.summary).toContain('| log-router | yes | 143 |');
  });

  test('a migration that exits 1 still fails, on its own exit code', async () => {
    const image = `${REGISTRY}/shop:v3`;
    sandbox.script(image, { kind: 'exit', exitCode: 1, afterMs: 300, logs: ['Error: relation "items" already exists'] });

    const run = await migrate(image);

    expect(await exitCodes(run.outputs['task-arn'])).toEqual({ app: 1, 'log-router': 143 });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['exit-code']).toBe('1');
    expect(errorsOf(run)).toEqual([
      expect.stringMatching(
        /failed: essential container "app" exited with code 1\. Its log ends with: Error: relation "items" already exists\.$/,
      ),
    ]);
  });
});

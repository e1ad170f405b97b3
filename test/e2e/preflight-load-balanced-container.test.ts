import { beforeAll, describe as group, expect, test } from '@jest/globals';
import { DescribeTaskDefinitionCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mutatingCalls } from '../support/bad-input';
import { createService, ecsClient, REGISTRY } from '../support/ecs-fixtures';
import { createTargetGroup } from '../support/load-balancer';
import { errorsOf, runBundledAction } from '../support/run-action';
import { useSandbox } from '../support/use-sandbox';

// The load-balanced-container pre-flight check through the bundled deploy-ecs: a task-definition file whose revision
// lacks the container or port the service's load balancer sends traffic to is refused before it is registered.
// (ECS, as the sandbox, would refuse only UpdateService, with the revision already registered.)

const sandbox = useSandbox({ timeScale: 0.2 });

const revisions = async () =>
  (await ecsClient(sandbox).send(new ListTaskDefinitionsCommand({ familyPrefix: 'shop' }))).taskDefinitionArns ?? [];

/** The live revision as describe-task-definition prints it, its container changed by `change`. */
async function fileWith(change: (container: Record<string, unknown>) => void): Promise<string> {
  const described = await ecsClient(sandbox).send(new DescribeTaskDefinitionCommand({ taskDefinition: 'shop' }));
  const definition = JSON.parse(JSON.stringify(described.taskDefinition));
  change(definition.containerDefinitions[0]);
  const path = join(mkdtempSync(join(tmpdir(), 'balanced-')), 'task-definition.json');
  writeFileSync(path, JSON.stringify({ taskDefinition: definition }));
  return path;
}

group('deploy-ecs keeps the load-balanced container and port', () => {
  beforeAll(async () => {
    const { targetGroupArn } = await createTargetGroup(sandbox, 'shop-tg', 1);
    await createService(sandbox, {
      service: 'shop',
      image: `${REGISTRY}/shop:v1`,
      desiredCount: 1,
      loadBalancers: [{ targetGroupArn, containerName: 'shop', containerPort: 8080 }],
      waitForSteady: false,
    });
  });

  test('a file that renamed the load-balanced container is refused before any revision is registered', async () => {
    const file = await fileWith((container) => void (container.name = 'app'));
    const before = await revisions();
    const callsBefore = sandbox.calls.length;

    const run = await runBundledAction(
      'deploy-ecs',
      { cluster: 'prod', service: 'shop', 'task-definition': file, image: `${REGISTRY}/shop:v2` },
      {
        env: sandbox.env(),
      },
    );

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      `Service "shop" sends its load balancer's traffic to container "shop" (target group shop-tg), which is not there (its containers: "app"), in the revision from "${file}". ` +
        "Name the container and its containerPort as the service's load balancer does, or change the service's load balancer first. Nothing was changed.",
    ]);
    expect(mutatingCalls(sandbox.calls.slice(callsBefore))).toEqual([]);
    expect(await revisions()).toEqual(before);
  });

  test('a file that dropped the port mapping is refused, naming the port', async () => {
    const file = await fileWith((container) => void (container.portMappings = [{ containerPort: 9090 }]));
    const before = await revisions();

    const run = await runBundledAction(
      'deploy-ecs',
      { cluster: 'prod', service: 'shop', 'task-definition': file, image: `${REGISTRY}/shop:v2` },
      {
        env: sandbox.env(),
      },
    );

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]).toContain(
      'to container "shop" port 8080 (target group shop-tg), which that container does not map (it maps 9090)',
    );
    expect(await revisions()).toEqual(before);
  });

  test('a file that keeps them passes the check and is deployed', async () => {
    const file = await fileWith(() => undefined);

    const run = await runBundledAction(
      'deploy-ecs',
      { cluster: 'prod', service: 'shop', 'task-definition': file, image: `${REGISTRY}/shop:v3`, wait: 'false' },
      { env: sandbox.env() },
    );

    expect(run.exitCode).toBe(0);
    expect(run.log).toMatch(/pass {2}Load-balanced container and port +the new revision has container "shop" port 8080/);
    expect(run.outputs.status).toBe('registered');
  });
});

import { afterAll, beforeAll, describe as group, expect, test } from '@jest/globals';
import { RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { start, type Sandbox } from '@ecs-deploy/sandbox';
import { createService, ecsClient, REGISTRY, waitForSteady } from '../support/ecs-fixtures';
import { startLocalServer, type RunningServer } from '../support/health-servers';
import { errorsOf, runBundledAction } from '../support/run-action';

// verify-health's task-definition input: "steady" only counts on the revision being verified. After ECS's
// circuit breaker rolls a deployment back, the service is steady again, on the old revision.
let sandbox: Sandbox;
let server: RunningServer;

beforeAll(async () => {
  sandbox = await start({ timeScale: 0.1 });
  // The old revision still answers: only the service signal can tell the release did not land.
  server = await startLocalServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"ok"}');
  });
});
afterAll(async () => {
  await server?.stop();
  await sandbox?.stop();
});

const verify = (inputs: Record<string, string>) =>
  runBundledAction('verify-health', { url: `${server.base}/health`, interval: '0.2s', timeout: '30s', ...inputs }, { env: sandbox.env() });

/** A service whose deployment of revision 2 ECS's circuit breaker rolled back to revision 1, settled again. */
async function rolledBackService(name: string) {
  const created = await createService(sandbox, {
    service: name,
    image: `${REGISTRY}/${name}:v1`,
    deploymentConfiguration: {
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
    },
  });
  const broken = `${REGISTRY}/${name}:v2`;
  // Tasks that never reach RUNNING count for the circuit breaker whatever their health checks.
  sandbox.script(broken, { kind: 'cannot-start' });
  const ecs = ecsClient(sandbox);
  const registered = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: name,
      executionRoleArn: `arn:aws:iam::${sandbox.accountId}:role/ecsTaskExecutionRole`,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name, image: broken, essential: true, portMappings: [{ containerPort: 8080 }] }],
    }),
  );
  const releaseArn = registered.taskDefinition?.taskDefinitionArn as string;
  await ecs.send(new UpdateServiceCommand({ cluster: created.cluster, service: name, taskDefinition: releaseArn }));
  // UpdateService added a second deployment; steady again means ECS is done with it, by rolling back.
  const settled = await waitForSteady(sandbox, created.cluster, name, 60_000);
  expect(settled.deployments?.[0]?.taskDefinition).toBe(created.taskDefinitionArn);
  return { ...created, releaseArn };
}

group('verify-health with task-definition', () => {
  test('a service ECS rolled back is steady on the old revision: the check fails, naming the revision that runs', async () => {
    const { cluster, service, releaseArn } = await rolledBackService('orders');

    const run = await verify({ cluster, service, 'task-definition': releaseArn });

    expect(run.exitCode).toBe(1);
    expect(run.outputs.healthy).toBe('false');
    expect(errorsOf(run)).toEqual([
      expect.stringMatching(
        /after 3 failing rounds in a row: service orders: steady, but on orders:1 instead of orders:2: the deployment of orders:2 was rolled back or replaced\.$/,
      ),
    ]);
  });

  test('a service steady on the revision named passes', async () => {
    const { cluster, service, taskDefinitionArn } = await createService(sandbox, { service: 'invoices', image: `${REGISTRY}/invoices:v1` });

    const run = await verify({ cluster, service, 'task-definition': taskDefinitionArn.replace(/^.*:task-definition\//, '') });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.healthy).toBe('true');
    expect(run.summary).toContain('| service invoices | ok | steady on invoices:1: 2 of 2 tasks running, one deployment, COMPLETED |');
  });
});

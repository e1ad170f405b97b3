import { describe, expect, test } from '@jest/globals';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  UpdateServiceCommand,
  type ContainerDefinition,
  type LoadBalancer,
  type Task,
} from '@aws-sdk/client-ecs';
import { essentialFailure, explainStop, isFailedTask } from '@ecs-deploy/core/ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { createTargetGroup } from '../support/load-balancer';
import { clientConfig, type SandboxHandle } from '../support/sandbox-harness';
import { useSandbox } from '../support/use-sandbox';
import { STOP_SCENARIOS, type SandboxRecipe, type StopScenario } from './stopped-task-scenarios';

const CLUSTER = 'contract';

/** One stopped task read back through DescribeTasks, the way core reads it, from whichever ECS answers. */
async function describeTask(ecs: ECSClient, taskArn: string): Promise<Task> {
  const { tasks = [] } = await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: [taskArn] }));
  if (!tasks[0]) throw new Error(`DescribeTasks knows no task ${taskArn}`);
  return tasks[0];
}

/** The row's key fields as this answer has them, and core's verdict on it. */
function judged(task: Task) {
  const subject = essentialFailure(task) ?? task.containers?.[0];
  return {
    stopCode: task.stopCode,
    stoppedReason: task.stoppedReason,
    exitCode: subject?.exitCode ?? null,
    containerReason: subject?.reason,
    failed: isFailedTask(task),
    explanation: explainStop(task),
  };
}

function expectScenario(scenario: StopScenario, task: Task): void {
  const seen = judged(task);
  expect({ stopCode: seen.stopCode, failed: seen.failed }).toEqual({ stopCode: scenario.fields.stopCode, failed: scenario.core.failed });
  expect(seen.stoppedReason?.startsWith(scenario.fields.stoppedReason) ? scenario.fields.stoppedReason : seen.stoppedReason).toBe(
    scenario.fields.stoppedReason,
  );
  if (scenario.fields.exitCode !== undefined) expect(seen.exitCode).toBe(scenario.fields.exitCode);
  if (scenario.fields.containerReason !== undefined) {
    expect(seen.containerReason?.startsWith(scenario.fields.containerReason) ? scenario.fields.containerReason : seen.containerReason).toBe(
      scenario.fields.containerReason,
    );
  }
  expect(seen.explanation).toMatch(scenario.core.explanation);
}

describe('mocked DescribeTasks answers', () => {
  test.each(STOP_SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('%s', async (_, scenario) => {
    const ecs = new ECSClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const answer = scenario.mock();
    mockClient(ecs)
      .on(DescribeTasksCommand, { tasks: [answer.taskArn as string] })
      .resolves({ tasks: [answer], failures: [] });
    expectScenario(scenario, await describeTask(ecs, answer.taskArn as string));
  });
});

// A small HTTP program for the load balancer's row: `/health` answers HEALTH_STATUS; SIGTERM ends it at once.
const WEB = '123456789012.dkr.ecr.us-east-1.amazonaws.com/contract-web';
const PROGRAM = `
const server = require('node:http').createServer((req, res) => res.writeHead(req.url === '/health' ? Number(process.env.HEALTH_STATUS || 200) : 200).end());
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
`;
/**
 * Scripted images, one per row (the scripted runtime plays them; see Sandbox.script). With a catalog, an image
 * neither scripted nor catalogued fails to pull, so even the healthy ones are scripted.
 */
const SCRIPTED = 'contract/scripted';

describe('the sandbox, made to stop a task each way', () => {
  // ×0.1: a scripted crash after 0.1 s, health checks every 0.5 s.
  const sandbox = useSandbox({ timeScale: 0.1, catalog: { [WEB]: { entryPoint: [process.execPath, '-e'], command: [PROGRAM] } } });
  let made = 0;

  const sandboxRows = STOP_SCENARIOS.filter((s): s is StopScenario & { sandbox: SandboxRecipe } => !('mockOnly' in s.sandbox));
  const mockOnlyRows = STOP_SCENARIOS.filter((s) => 'mockOnly' in s.sandbox);

  test.each(sandboxRows.map((scenario) => [scenario.name, scenario] as const))('%s', async (_, scenario) => {
    made += 1;
    const ecs = new ECSClient(clientConfig(sandbox));
    const taskArn = await produce(sandbox, ecs, `contract${made}`, scenario.sandbox);
    expectScenario(scenario, await describeTask(ecs, taskArn));
  });

  for (const scenario of mockOnlyRows) test.todo(`${scenario.name}: mock-only, ${(scenario.sandbox as { mockOnly: string }).mockOnly}`);
});

/** Makes the sandbox stop one task the way `recipe` says, through its public API; the stopped task's ARN. */
async function produce(sandbox: SandboxHandle, ecs: ECSClient, name: string, recipe: SandboxRecipe): Promise<string> {
  await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
  const image = `${SCRIPTED}-${name}:1`;
  switch (recipe.kind) {
    case 'run-task': {
      sandbox.script(image, recipe.outcome === 'crash' ? { kind: 'exit', exitCode: 1, afterMs: 1000 } : { kind: 'cannot-start' });
      const taskArn = await runTask(ecs, name, [app(image)]);
      return (await stopped(ecs, taskArn)).taskArn as string;
    }
    case 'run-task-then-stop-task': {
      sandbox.script(image, { kind: 'healthy' });
      const taskArn = await runTask(ecs, name, [app(image)]);
      await until(`task ${taskArn} running`, async () => ((await describeTask(ecs, taskArn)).lastStatus === 'RUNNING' ? true : undefined));
      await ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: taskArn }));
      return (await stopped(ecs, taskArn)).taskArn as string;
    }
    case 'service':
      return serviceStop(sandbox, ecs, name, image, recipe.outcome);
  }
}

async function serviceStop(
  sandbox: SandboxHandle,
  ecs: ECSClient,
  name: string,
  image: string,
  outcome: Extract<SandboxRecipe, { kind: 'service' }>['outcome'],
): Promise<string> {
  if (outcome === 'exit-0') {
    sandbox.script(image, { kind: 'exit', exitCode: 0, afterMs: 1000 });
    return firstStoppedTaskOf(ecs, await createService(ecs, name, [app(image)]));
  }
  if (outcome === 'container-health-check') {
    sandbox.script(image, { kind: 'unhealthy' });
    const healthCheck = { command: ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'], interval: 5, timeout: 2, retries: 2 };
    return firstStoppedTaskOf(ecs, await createService(ecs, name, [app(image, { healthCheck })]));
  }
  if (outcome === 'elb-health-check') {
    const { targetGroupArn } = await createTargetGroup(sandbox, `${name}-tg`, 1);
    const web = app(`${WEB}:1`, { environment: [{ name: 'HEALTH_STATUS', value: '500' }] });
    return firstStoppedTaskOf(
      ecs,
      await createService(ecs, name, [web], { loadBalancers: [{ targetGroupArn, containerName: 'app', containerPort: 8080 }] }),
    );
  }
  // scale-in: two tasks running, then one fewer wanted.
  sandbox.script(image, { kind: 'healthy' });
  const service = await createService(ecs, name, [app(image)], { desiredCount: 2 });
  await until(`service ${service} running 2 tasks`, async () => {
    const found = (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [service] }))).services?.[0];
    return found?.runningCount === 2 && found.deployments?.[0]?.rolloutState === 'COMPLETED' ? true : undefined;
  });
  await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service, desiredCount: 1 }));
  return firstStoppedTaskOf(ecs, service);
}

function app(image: string, extra: Partial<ContainerDefinition> = {}): ContainerDefinition {
  return { name: 'app', image, essential: true, portMappings: [{ containerPort: 8080 }], ...extra };
}

async function register(ecs: ECSClient, family: string, containers: ContainerDefinition[]): Promise<string> {
  const { taskDefinition } = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      executionRoleArn: 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole',
      containerDefinitions: containers,
    }),
  );
  return taskDefinition?.taskDefinitionArn as string;
}

const network = { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d'], securityGroups: ['sg-0a1b2c3d'] } };

async function runTask(ecs: ECSClient, family: string, containers: ContainerDefinition[]): Promise<string> {
  const taskDefinition = await register(ecs, family, containers);
  const { tasks = [] } = await ecs.send(
    new RunTaskCommand({ cluster: CLUSTER, taskDefinition, launchType: 'FARGATE', networkConfiguration: network }),
  );
  return tasks[0]?.taskArn as string;
}

async function createService(
  ecs: ECSClient,
  name: string,
  containers: ContainerDefinition[],
  extra: { desiredCount?: number; loadBalancers?: LoadBalancer[] } = {},
): Promise<string> {
  const taskDefinition = await register(ecs, name, containers);
  await ecs.send(
    new CreateServiceCommand({
      cluster: CLUSTER,
      serviceName: name,
      taskDefinition,
      desiredCount: extra.desiredCount ?? 1,
      launchType: 'FARGATE',
      networkConfiguration: network,
      loadBalancers: extra.loadBalancers,
    }),
  );
  return name;
}

async function stopped(ecs: ECSClient, taskArn: string): Promise<Task> {
  return until(`task ${taskArn} STOPPED`, async () => {
    const task = await describeTask(ecs, taskArn);
    return task.lastStatus === 'STOPPED' ? task : undefined;
  });
}

/** The first task of the service that reached STOPPED. */
async function firstStoppedTaskOf(ecs: ECSClient, service: string): Promise<string> {
  return until(`a stopped task of ${service}`, async () => {
    const { taskArns = [] } = await ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: service, desiredStatus: 'STOPPED' }));
    for (const taskArn of taskArns) if ((await describeTask(ecs, taskArn)).lastStatus === 'STOPPED') return taskArn;
    return undefined;
  });
}

/** Polls the sandbox's API until `check` answers, as a client of ECS would. */
async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

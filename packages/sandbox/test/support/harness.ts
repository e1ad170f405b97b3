import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  type ContainerDefinition,
  type DeploymentConfiguration,
  type DesiredStatus,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';
import type { Sandbox } from '../../src/index';
import { clientConfig } from '../../../../test/support/sandbox-harness';

/** The real SDK clients, pointed at the sandbox. `maxAttempts: 1` lets a test see an injected fault as is. */
export function ecsClient(sandbox: Sandbox, maxAttempts?: number): ECSClient {
  return new ECSClient(clientConfig(sandbox, maxAttempts));
}

export function logsClient(sandbox: Sandbox, maxAttempts?: number): CloudWatchLogsClient {
  return new CloudWatchLogsClient(clientConfig(sandbox, maxAttempts));
}

export function elbClient(sandbox: Sandbox, maxAttempts?: number): ElasticLoadBalancingV2Client {
  return new ElasticLoadBalancingV2Client(clientConfig(sandbox, maxAttempts));
}

export function cloudWatchClient(sandbox: Sandbox, maxAttempts?: number): CloudWatchClient {
  return new CloudWatchClient(clientConfig(sandbox, maxAttempts));
}

/** Polls until `check` returns a value (not undefined), or fails with the last observation. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export function container(name: string, image: string, extra: Partial<ContainerDefinition> = {}): ContainerDefinition {
  return {
    name,
    image,
    essential: true,
    portMappings: [{ containerPort: 8080 }],
    logConfiguration: {
      logDriver: 'awslogs',
      options: {
        'awslogs-group': `/ecs/${name}`,
        'awslogs-region': 'us-east-1',
        'awslogs-stream-prefix': 'ecs',
        'awslogs-create-group': 'true',
      },
    },
    ...extra,
  };
}

/** A Fargate revision of `containers`; its execution role is the default ecsTaskExecutionRole unless one is given. */
export async function register(
  ecs: ECSClient,
  family: string,
  containers: ContainerDefinition[],
  executionRoleArn = 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole',
): Promise<string> {
  const answer = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      executionRoleArn,
      containerDefinitions: containers,
    }),
  );
  return answer.taskDefinition?.taskDefinitionArn as string;
}

export const network = { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d'], securityGroups: ['sg-0a1b2c3d'] } };

export interface ServiceSetup {
  cluster?: string;
  service: string;
  image: string;
  desiredCount?: number;
  deploymentConfiguration?: DeploymentConfiguration;
  containers?: ContainerDefinition[];
}

/** Creates cluster, task definition and service through the SDK and waits for the first rollout to complete. */
export async function createSteadyService(sandbox: Sandbox, setup: ServiceSetup) {
  const ecs = ecsClient(sandbox);
  const cluster = setup.cluster ?? 'test';
  await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  const taskDefinitionArn = await register(ecs, setup.service, setup.containers ?? [container(setup.service, setup.image)]);
  await ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: setup.service,
      taskDefinition: taskDefinitionArn,
      desiredCount: setup.desiredCount ?? 2,
      launchType: 'FARGATE',
      networkConfiguration: network,
      deploymentConfiguration: setup.deploymentConfiguration ?? { minimumHealthyPercent: 100, maximumPercent: 200 },
    }),
  );
  await waitForService(
    sandbox,
    cluster,
    setup.service,
    (s) => s.deployments?.length === 1 && s.deployments[0].rolloutState === 'COMPLETED',
  );
  return { ecs, cluster, service: setup.service, taskDefinitionArn };
}

export async function describeService(sandbox: Sandbox, cluster: string, service: string): Promise<Service> {
  const answer = await ecsClient(sandbox).send(new DescribeServicesCommand({ cluster, services: [service] }));
  return answer.services?.[0] as Service;
}

export function waitForService(
  sandbox: Sandbox,
  cluster: string,
  service: string,
  done: (s: Service) => boolean,
  timeoutMs?: number,
): Promise<Service> {
  return waitFor(
    `service ${service}`,
    async () => {
      const found = await describeService(sandbox, cluster, service);
      return done(found) ? found : undefined;
    },
    timeoutMs,
  );
}

/**
 * The tasks a deployment (or any `startedBy`) created with the given desired statuses, over every page of ListTasks
 * and in DescribeTasks' batches of 100. startedBy must be ListTasks' only filter, so the cluster's tasks are listed
 * and the deployment's picked: a test file's shared cluster soon holds more than one page of stopped tasks.
 */
export async function tasksStartedBy(
  ecs: ECSClient,
  cluster: string,
  startedBy: string,
  statuses: DesiredStatus[] = ['STOPPED'],
): Promise<Task[]> {
  const arns: string[] = [];
  for (const desiredStatus of statuses) {
    let nextToken: string | undefined;
    do {
      const page = await ecs.send(new ListTasksCommand({ cluster, desiredStatus, nextToken }));
      arns.push(...(page.taskArns ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
  }
  const tasks: Task[] = [];
  for (let i = 0; i < arns.length; i += 100) {
    tasks.push(...((await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns.slice(i, i + 100) }))).tasks ?? []));
  }
  return tasks.filter((task) => task.startedBy === startedBy);
}

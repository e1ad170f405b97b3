import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type ContainerDefinition,
  type DeploymentConfiguration,
  type DeploymentControllerType,
  type HealthCheck,
  type LoadBalancer,
} from '@aws-sdk/client-ecs';
import type { Sandbox } from '@ecs-deploy/sandbox';
import { createTargetGroup } from './load-balancer';
import { clientConfig } from './sandbox-harness';

export const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';

export function ecsClient(sandbox: Sandbox): ECSClient {
  return new ECSClient(clientConfig(sandbox));
}

export interface ServiceSpec {
  cluster?: string;
  service: string;
  image: string;
  desiredCount?: number;
  deploymentConfiguration?: DeploymentConfiguration;
  controller?: DeploymentControllerType;
  containers?: ContainerDefinition[];
  /** Task-level cpu units; default 256. */
  cpu?: string;
  loadBalancers?: LoadBalancer[];
  healthCheckGracePeriodSeconds?: number;
  /** The revision's task role (ECS Exec needs one). */
  taskRoleArn?: string;
  /** A container health check on the default container: without one (or a load balancer), ECS's circuit breaker ignores crashes after RUNNING. */
  healthCheck?: HealthCheck;
  /** The revision's execution role, by name; default ecsTaskExecutionRole, which may read no secret (support/secret-roles). */
  executionRole?: string;
  /** false: return once the service is created, for a service whose first deployment is not meant to complete. */
  waitForSteady?: boolean;
}

/** A container health check that a scripted crash never lets pass, so ECS's circuit breaker counts the crash. */
export const CONTAINER_HEALTH_CHECK: HealthCheck = {
  command: ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'],
  interval: 5,
  timeout: 2,
  retries: 2,
};

/**
 * Creates a cluster, a task definition and a service through the real SDK, as a platform team would,
 * and waits until the service is steady so each test starts from a settled service.
 */
export async function createService(sandbox: Sandbox, spec: ServiceSpec) {
  const ecs = ecsClient(sandbox);
  const cluster = spec.cluster ?? 'prod';
  await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  const containers = spec.containers ?? [
    {
      name: spec.service,
      image: spec.image,
      essential: true,
      portMappings: [{ containerPort: 8080 }],
      environment: [{ name: 'LOG_LEVEL', value: 'info' }],
      healthCheck: spec.healthCheck,
      logConfiguration: {
        logDriver: 'awslogs',
        options: {
          'awslogs-group': `/ecs/${spec.service}`,
          'awslogs-region': sandbox.region,
          'awslogs-stream-prefix': 'ecs',
          'awslogs-create-group': 'true',
        },
      },
    },
  ];
  const registered = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: spec.service,
      // Fargate needs an execution role to pull from ECR and to write awslogs.
      executionRoleArn: `arn:aws:iam::${sandbox.accountId}:role/${spec.executionRole ?? 'ecsTaskExecutionRole'}`,
      ...(spec.taskRoleArn ? { taskRoleArn: spec.taskRoleArn } : {}),
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: spec.cpu ?? '256',
      // Twice the cpu, at least 1 GiB: in Fargate's table for every size, and the same for 256 and 512 CPU, so a
      // pair differing only in that cpu differs in nothing else.
      memory: String(Math.max(1024, 2 * Number(spec.cpu ?? '256'))),
      containerDefinitions: containers,
    }),
  );
  // ECS requires a load balancer of a CODE_DEPLOY service (API reference, CreateService loadBalancers): one is given.
  const loadBalancers =
    spec.loadBalancers ??
    (spec.controller === 'CODE_DEPLOY'
      ? [
          {
            targetGroupArn: (await createTargetGroup(sandbox, `${spec.service}-blue`)).targetGroupArn,
            containerName: spec.service,
            containerPort: 8080,
          },
        ]
      : undefined);
  await ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: spec.service,
      taskDefinition: registered.taskDefinition?.taskDefinitionArn,
      desiredCount: spec.desiredCount ?? 2,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d'], securityGroups: ['sg-0a1b2c3d'] } },
      deploymentConfiguration: spec.deploymentConfiguration ?? { minimumHealthyPercent: 100, maximumPercent: 200 },
      deploymentController: spec.controller ? { type: spec.controller } : undefined,
      loadBalancers,
      healthCheckGracePeriodSeconds: spec.healthCheckGracePeriodSeconds,
    }),
  );
  if (spec.waitForSteady !== false) {
    if (!spec.controller || spec.controller === 'ECS') await waitForSteady(sandbox, cluster, spec.service);
    // Under CODE_DEPLOY the tasks belong to the service's task set: settled once it is STEADY_STATE.
    if (spec.controller === 'CODE_DEPLOY') await waitForTaskSetSteady(sandbox, cluster, spec.service);
  }
  return { cluster, service: spec.service, taskDefinitionArn: registered.taskDefinition?.taskDefinitionArn as string };
}

export async function describe(sandbox: Sandbox, cluster: string, service: string) {
  const answer = await ecsClient(sandbox).send(new DescribeServicesCommand({ cluster, services: [service] }));
  const found = answer.services?.[0];
  if (!found) throw new Error(`no service ${service}`);
  return found;
}

/** Stops a service that would otherwise crash-loop for the rest of the file (its tasks take the sandbox's CPU). */
export async function scaleToZero(sandbox: Sandbox, cluster: string, service: string) {
  await ecsClient(sandbox).send(new UpdateServiceCommand({ cluster, service, desiredCount: 0 }));
}

/** Polls the sandbox until the service has one COMPLETED deployment running its desired count. */
export async function waitForSteady(sandbox: Sandbox, cluster: string, service: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const svc = await describe(sandbox, cluster, service);
    const deployments = svc.deployments ?? [];
    if (deployments.length === 1 && deployments[0].rolloutState === 'COMPLETED' && svc.runningCount === svc.desiredCount) return svc;
    if (Date.now() > deadline) throw new Error(`service ${service} not steady after ${timeoutMs} ms: ${JSON.stringify(deployments)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Polls the sandbox until a CODE_DEPLOY service's task sets are all STEADY_STATE and it runs its desired count. */
export async function waitForTaskSetSteady(sandbox: Sandbox, cluster: string, service: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const svc = await describe(sandbox, cluster, service);
    const taskSets = svc.taskSets ?? [];
    if (taskSets.length > 0 && taskSets.every((set) => set.stabilityStatus === 'STEADY_STATE') && svc.runningCount === svc.desiredCount)
      return svc;
    if (Date.now() > deadline) throw new Error(`service ${service} not steady after ${timeoutMs} ms: ${JSON.stringify(taskSets)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Registers, as Terraform or an earlier job would, a new revision of the family of `arn` with another image on its one container. */
export async function registerLike(sandbox: Sandbox, arn: string, image: string): Promise<string> {
  const ecs = ecsClient(sandbox);
  const { taskDefinition: live } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
  const answer = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: live?.family,
      executionRoleArn: live?.executionRoleArn,
      networkMode: live?.networkMode,
      requiresCompatibilities: live?.requiresCompatibilities,
      cpu: live?.cpu,
      memory: live?.memory,
      containerDefinitions: live?.containerDefinitions?.map((container) => ({ ...container, image })),
    }),
  );
  return answer.taskDefinition?.taskDefinitionArn as string;
}

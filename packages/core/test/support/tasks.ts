import type { Container, Task } from '@aws-sdk/client-ecs';

/** Stopped tasks shaped like DescribeTasks answers in the ECS API reference. */
export const CLUSTER_ARN = 'arn:aws:ecs:us-east-1:123456789012:cluster/prod';
export const TASK_DEFINITION_ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:8';
export const DEPLOYMENT_ID = 'ecs-svc/1234567890123456789';

export function taskArn(id: string): string {
  return `arn:aws:ecs:us-east-1:123456789012:task/prod/${id}`;
}

export function container(overrides: Partial<Container> = {}): Container {
  return {
    containerArn: 'arn:aws:ecs:us-east-1:123456789012:container/prod/0a1b2c3d4e5f60718293a4b5c6d7e8f9/6f1b8c2e-1111-4222-8333-944455556666',
    taskArn: taskArn('0a1b2c3d4e5f60718293a4b5c6d7e8f9'),
    name: 'web',
    image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.4.3',
    lastStatus: 'STOPPED',
    networkBindings: [],
    healthStatus: 'UNKNOWN',
    cpu: '0',
    ...overrides,
  };
}

export function stoppedTask(overrides: Partial<Task> = {}, containers: Container[] = [container({ exitCode: 1 })]): Task {
  const arn = overrides.taskArn ?? taskArn('0a1b2c3d4e5f60718293a4b5c6d7e8f9');
  return {
    taskArn: arn,
    clusterArn: CLUSTER_ARN,
    taskDefinitionArn: TASK_DEFINITION_ARN,
    group: 'service:web',
    startedBy: DEPLOYMENT_ID,
    launchType: 'FARGATE',
    platformVersion: '1.4.0',
    cpu: '256',
    memory: '512',
    lastStatus: 'STOPPED',
    desiredStatus: 'STOPPED',
    createdAt: new Date('2026-01-01T12:00:00Z'),
    startedAt: new Date('2026-01-01T12:00:20Z'),
    stoppingAt: new Date('2026-01-01T12:00:31Z'),
    stoppedAt: new Date('2026-01-01T12:00:42Z'),
    stopCode: 'EssentialContainerExited',
    stoppedReason: 'Essential container in task exited',
    containers: containers.map((c) => ({ ...c, taskArn: arn })),
    ...overrides,
  };
}

export const PULL_ERROR =
  'CannotPullContainerError: pull image manifest has been retried 7 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.4.3: 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.4.3: not found';
export const INIT_ERROR =
  'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): AccessDeniedException: User is not authorized to perform: secretsmanager:GetSecretValue';
export const ELB_REASON =
  'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/73e2d6bc24d8a067)';

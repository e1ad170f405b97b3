import type { TaskDefinition, Tag } from '@aws-sdk/client-ecs';
import type { RegistrableDefinition } from '../../src/task-definition/strip';

/**
 * A task definition as a person writes it in the repository (what RegisterTaskDefinition takes), and the
 * same definition as DescribeTaskDefinition returns it after registration: read-only fields added, defaults
 * echoed (essential, cpu 0, protocol tcp, hostPort in awsvpc, enableFaultInjection), empty lists filled in.
 * Shapes follow the ECS API reference examples for RegisterTaskDefinition and DescribeTaskDefinition.
 */
export const ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:8';

export function handWritten(): RegistrableDefinition {
  return {
    family: 'web',
    taskRoleArn: 'arn:aws:iam::123456789012:role/web-task',
    executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    containerDefinitions: [
      {
        name: 'web',
        image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.4.2',
        portMappings: [{ containerPort: 8080 }],
        environment: [
          { name: 'LOG_LEVEL', value: 'info' },
          { name: 'DATABASE_HOST', value: 'db.internal' },
        ],
        secrets: [{ name: 'DATABASE_PASSWORD', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-pass-AbCdEf' }],
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': '/ecs/web', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs' },
        },
        readonlyRootFilesystem: false,
      },
    ],
  };
}

export const TAGS: Tag[] = [
  { key: 'team', value: 'payments' },
  { key: 'service', value: 'web' },
];

export function described(): TaskDefinition {
  return {
    taskDefinitionArn: ARN,
    containerDefinitions: [
      {
        name: 'web',
        image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.4.2',
        cpu: 0,
        portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }],
        essential: true,
        environment: [
          { name: 'DATABASE_HOST', value: 'db.internal' },
          { name: 'LOG_LEVEL', value: 'info' },
        ],
        environmentFiles: [],
        mountPoints: [],
        volumesFrom: [],
        secrets: [{ name: 'DATABASE_PASSWORD', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-pass-AbCdEf' }],
        readonlyRootFilesystem: false,
        ulimits: [],
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': '/ecs/web', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs' },
          secretOptions: [],
        },
        systemControls: [],
      },
    ],
    family: 'web',
    taskRoleArn: 'arn:aws:iam::123456789012:role/web-task',
    executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
    networkMode: 'awsvpc',
    revision: 8,
    volumes: [],
    status: 'ACTIVE',
    requiresAttributes: [
      { name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' },
      { name: 'ecs.capability.execution-role-awslogs' },
      { name: 'com.amazonaws.ecs.capability.task-iam-role' },
      { name: 'ecs.capability.secrets.asm.environment-variables' },
      { name: 'ecs.capability.task-eni' },
    ],
    placementConstraints: [],
    compatibilities: ['EC2', 'FARGATE'],
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    registeredAt: new Date('2026-01-01T00:00:00.000Z'),
    registeredBy: 'arn:aws:sts::123456789012:assumed-role/deploy/GitHubActions',
    enableFaultInjection: false,
  };
}

/** The first container of a definition, for tests that change it. */
export function webContainer(definition: RegistrableDefinition | TaskDefinition) {
  const container = definition.containerDefinitions?.[0];
  if (!container) throw new Error('fixture has no container');
  return container;
}

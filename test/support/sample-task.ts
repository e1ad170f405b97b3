/**
 * Task definition pieces and probes for end-to-end tests that run the sample service as real processes.
 */
import { DescribeTasksCommand, ListTasksCommand, type ContainerDefinition } from '@aws-sdk/client-ecs';
import type { Sandbox } from '@ecs-deploy/sandbox';
import { ecsClient } from './ecs-fixtures';
import { SAMPLE_REPOSITORY, SAMPLE_SERVICE_DIR } from './sample-service';

/** A container of the sample image with its database, its health check and awslogs, as a team would write it. */
export function sampleContainer(name: string, databaseUrl: string, extra: Partial<ContainerDefinition> = {}): ContainerDefinition {
  return {
    name,
    image: `${SAMPLE_REPOSITORY}:v1`,
    essential: true,
    portMappings: [{ containerPort: 8080 }],
    environment: [
      { name: 'DATABASE_URL', value: databaseUrl },
      { name: 'REQUIRED_MIGRATION', value: '002_add_price' },
    ],
    healthCheck: { command: ['CMD-SHELL', `node ${SAMPLE_SERVICE_DIR}/healthcheck.mjs`], interval: 5, timeout: 5, retries: 2, startPeriod: 0 },
    logConfiguration: {
      logDriver: 'awslogs',
      options: { 'awslogs-group': `/ecs/${name}`, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs', 'awslogs-create-group': 'true' },
    },
    ...extra,
  };
}

/** The versions the running tasks report over HTTP, read from their network bindings, sorted. */
export async function servedVersions(sandbox: Sandbox, cluster: string, service: string): Promise<string[]> {
  const ecs = ecsClient(sandbox);
  const { taskArns = [] } = await ecs.send(new ListTasksCommand({ cluster, serviceName: service }));
  if (taskArns.length === 0) return [];
  const { tasks = [] } = await ecs.send(new DescribeTasksCommand({ cluster, tasks: taskArns }));
  const ports = tasks.filter((t) => t.lastStatus === 'RUNNING').map((t) => t.containers?.[0]?.networkBindings?.[0]?.hostPort);
  const versions = await Promise.all(ports.map(async (port) => ((await (await fetch(`http://127.0.0.1:${port}/`)).json()) as { version: string }).version));
  return versions.sort();
}

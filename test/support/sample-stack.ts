/**
 * The sample service running in a sandbox: the stack an end-to-end test of it starts, a service of it behind
 * the sandbox's load balancer, and what its running tasks serve.
 */
import { DescribeTasksCommand, ListTasksCommand, type DeploymentConfiguration } from '@aws-sdk/client-ecs';
import type { CatalogEntry, Sandbox } from '@ecs-deploy/sandbox';
import { createService, ecsClient } from './ecs-fixtures';
import { createTargetGroup } from './load-balancer';
import { startSandbox, type SampleDatabase } from './sandbox-harness';
import { basicSampleContainer, SAMPLE_REPOSITORY, sampleServiceCatalog } from './sample-service';

export interface SampleStack {
  sandbox: Sandbox;
  database: SampleDatabase;
  stop(): Promise<void>;
}

/**
 * An embedded PostgreSQL migrated to `migrations` (so a release requiring 002_add_price is healthy), and a
 * sandbox that runs the sample image as processes (or the images of `catalog`).
 */
export async function startSampleStack(options: {
  timeScale: number;
  migrations?: number;
  catalog?: Record<string, CatalogEntry>;
}): Promise<SampleStack> {
  const sandbox = await startSandbox({
    timeScale: options.timeScale,
    catalog: options.catalog ?? sampleServiceCatalog(),
    database: { migrations: options.migrations },
  });
  return { sandbox, database: sandbox.database, stop: sandbox.stop };
}

export interface LoadBalancedSampleSpec {
  desiredCount?: number;
  deploymentConfiguration?: DeploymentConfiguration;
  healthCheckGracePeriodSeconds?: number;
  /** How long a deregistered target drains (createTargetGroup's default when absent). */
  deregistrationDelaySeconds?: number;
  /** Whether the container ships its output to CloudWatch Logs. */
  logs?: boolean;
}

/**
 * A steady service `name` of the sample image at `v1`, its tasks registered in a new target group `<name>-tg`,
 * with the sandbox's load balancer URL for that group.
 */
export async function sampleServiceBehindLoadBalancer(
  sandbox: Sandbox,
  databaseUrl: string,
  name: string,
  spec: LoadBalancedSampleSpec = {},
) {
  const group = await createTargetGroup(sandbox, `${name}-tg`, spec.deregistrationDelaySeconds);
  const created = await createService(sandbox, {
    service: name,
    image: `${SAMPLE_REPOSITORY}:v1`,
    desiredCount: spec.desiredCount,
    deploymentConfiguration: spec.deploymentConfiguration,
    containers: [basicSampleContainer(name, databaseUrl, { logs: spec.logs })],
    loadBalancers: [{ targetGroupArn: group.targetGroupArn, containerName: name, containerPort: 8080 }],
    healthCheckGracePeriodSeconds: spec.healthCheckGracePeriodSeconds,
  });
  return { ...created, ...group };
}

/** The versions the running tasks report over HTTP, read from their network bindings, sorted. */
export async function servedVersions(sandbox: Sandbox, cluster: string, service: string): Promise<string[]> {
  const ecs = ecsClient(sandbox);
  const { taskArns = [] } = await ecs.send(new ListTasksCommand({ cluster, serviceName: service }));
  if (taskArns.length === 0) return [];
  const { tasks = [] } = await ecs.send(new DescribeTasksCommand({ cluster, tasks: taskArns }));
  const ports = tasks.filter((t) => t.lastStatus === 'RUNNING').map((t) => t.containers?.[0]?.networkBindings?.[0]?.hostPort);
  const versions = await Promise.all(
    ports.map(async (port) => ((await (await fetch(`http://127.0.0.1:${port}/`)).json()) as { version: string }).version),
  );
  return versions.sort();
}

/**
 * The sample service (test/fixtures/sample-service) as an image the sandbox can run: one definition shared by
 * the tests, the demo and the benchmarks.
 */
import { fileURLToPath } from 'node:url';
import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import type { CatalogEntry } from '@ecs-deploy/sandbox';

/** The ECR repository its images are pushed to; tag it (`${SAMPLE_REPOSITORY}:v1`) or pin a digest. */
export const SAMPLE_REPOSITORY = '123456789012.dkr.ecr.us-east-1.amazonaws.com/sample-service';

/** The repository root: the image's working directory, so commands name files as the repository does. */
export const REPOSITORY_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Paths of the sample service's programs relative to the repository root, for task definition commands. */
export const SAMPLE_SERVICE_DIR = 'test/fixtures/sample-service';

/**
 * The catalog entry of the sample image, as its Dockerfile would be: `CMD ["node", "<dir>/server.mjs"]`,
 * so a task's `command` (e.g. `['node', '<dir>/migrate.mjs', 'up']`) replaces the server, and
 * `env` adds to the image's ENV.
 */
export function sampleServiceEntry(env: Record<string, string> = {}): CatalogEntry {
  return { command: ['node', `${SAMPLE_SERVICE_DIR}/server.mjs`], cwd: REPOSITORY_ROOT, env };
}

/** A catalog for `start({ catalog })` holding the sample image. */
export function sampleServiceCatalog(env: Record<string, string> = {}): Record<string, CatalogEntry> {
  return { [SAMPLE_REPOSITORY]: sampleServiceEntry(env) };
}

/**
 * The least a container of the sample image needs: its port and its database. With `logs`, its output goes
 * to CloudWatch Logs (group `/ecs/<name>`) through awslogs.
 */
export function basicSampleContainer(name: string, databaseUrl: string, options: { logs?: boolean } = {}): ContainerDefinition {
  return {
    name,
    image: `${SAMPLE_REPOSITORY}:v1`,
    essential: true,
    portMappings: [{ containerPort: 8080 }],
    environment: [{ name: 'DATABASE_URL', value: databaseUrl }],
    ...(options.logs && {
      logConfiguration: {
        logDriver: 'awslogs',
        options: {
          'awslogs-group': `/ecs/${name}`,
          'awslogs-region': 'us-east-1',
          'awslogs-stream-prefix': 'ecs',
          'awslogs-create-group': 'true',
        },
      },
    }),
  };
}

/** A container of the sample image with its database, its health check and awslogs, as a team would write it. */
export function sampleContainer(name: string, databaseUrl: string, extra: Partial<ContainerDefinition> = {}): ContainerDefinition {
  return {
    ...basicSampleContainer(name, databaseUrl, { logs: true }),
    environment: [
      { name: 'DATABASE_URL', value: databaseUrl },
      { name: 'REQUIRED_MIGRATION', value: '002_add_price' },
    ],
    healthCheck: {
      command: ['CMD-SHELL', `node ${SAMPLE_SERVICE_DIR}/healthcheck.mjs`],
      interval: 5,
      // A start period and a timeout as a team gives a Node.js service: the check's own `node` start-up may take a
      // second on a busy runner, and a release is judged unhealthy by its failures after start-up, not during it.
      timeout: 10,
      retries: 2,
      startPeriod: 10,
    },
    ...extra,
  };
}

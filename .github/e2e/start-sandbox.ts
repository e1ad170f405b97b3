/**
 * Starts the sandbox for the e2e workflow: ECR backed by the real registry of the build infrastructure
 * (test/support/registry/ensure.sh, run before), a cluster `e2e` with a service `web` (two tasks of web:v1),
 * and the registry's `web` repository run as real processes (web.mjs). Prints `NAME=value` lines for
 * $GITHUB_ENV once it listens, then runs until the job ends.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { start } from '@ecs-deploy/sandbox';

const infraDir = process.env.BUILD_INFRA_DIR ?? '/tmp/ecs-deploy-build-infra';
const infra = Object.fromEntries(
  readFileSync(join(infraDir, 'env'), 'utf8')
    .split('\n')
    .filter((line) => line.includes('='))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);
const registry = infra.REGISTRY_HOST;

const sandbox = await start({
  timeScale: 0.25,
  registry: { endpoint: `http://${registry}`, username: infra.REGISTRY_USERNAME, password: infra.REGISTRY_PASSWORD },
  catalog: { [`${registry}/web`]: { command: [process.execPath, resolve('.github/e2e/web.mjs')] } },
  seed: {
    clusters: ['e2e'],
    taskDefinitions: [
      {
        family: 'web',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'web', image: `${registry}/web:v1`, essential: true, portMappings: [{ containerPort: 8080 }] }],
      },
    ],
    services: [
      {
        cluster: 'e2e',
        serviceName: 'web',
        taskDefinition: 'web:1',
        desiredCount: 2,
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0e2e'], securityGroups: ['sg-0e2e'] } },
        deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: true } },
      },
    ],
  },
});
// The builders need the daemon and registry settings; the registry password is a throwaway of this job.
for (const [name, value] of Object.entries({ ...sandbox.env(), ...infra })) console.log(`${name}=${value}`);
console.log(`REGISTRY=${registry}`);
process.on('SIGTERM', () => void sandbox.stop().then(() => process.exit(0)));

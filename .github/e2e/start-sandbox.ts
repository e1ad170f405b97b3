/**
 * Starts the sandbox for the e2e workflow: a cluster `e2e` with a service `web` (two tasks of web:v1), and
 * images of the `web` repository run as real processes (web.mjs). Prints `NAME=value` lines for $GITHUB_ENV
 * once it listens, then keeps running until the job ends.
 */
import { resolve } from 'node:path';
import { start } from '@ecs-deploy/sandbox';

const REGISTRY = '000000000000.dkr.ecr.us-east-1.amazonaws.com';

const sandbox = await start({
  timeScale: 0.25,
  catalog: { [`${REGISTRY}/web`]: { command: [process.execPath, resolve('.github/e2e/web.mjs')] } },
  seed: {
    clusters: ['e2e'],
    taskDefinitions: [
      {
        family: 'web',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'web', image: `${REGISTRY}/web:v1`, essential: true, portMappings: [{ containerPort: 8080 }] }],
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
for (const [name, value] of Object.entries(sandbox.env())) console.log(`${name}=${value}`);
console.log(`REGISTRY=${REGISTRY}`);
process.on('SIGTERM', () => void sandbox.stop().then(() => process.exit(0)));

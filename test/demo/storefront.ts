/** The demo's service: the sample image on three tasks behind the sandbox's load balancer. */
import type { Sandbox } from '@ecs-deploy/sandbox';
import { createService } from '../support/ecs-fixtures';
import { createTargetGroup } from '../support/load-balancer';
import { SAMPLE_REPOSITORY, sampleContainer } from '../support/sample-service';

export const release = (version: string) => `${SAMPLE_REPOSITORY}:${version}`;

/**
 * A liveness check (any answer, even a 500, keeps a target in service) and no container health check, as many
 * services have: a release answering 500 looks healthy to ECS and the load balancer alike.
 */
export async function createStorefront(sandbox: Sandbox, databaseUrl: string) {
  const { targetGroupArn, url } = await createTargetGroup(sandbox, 'storefront', 10, '200-599');
  const { cluster, service } = await createService(sandbox, {
    service: 'storefront',
    image: release('1.0.0'),
    desiredCount: 3,
    deploymentConfiguration: {
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
    },
    containers: [
      sampleContainer('storefront', databaseUrl, {
        image: release('1.0.0'),
        healthCheck: undefined,
        environment: [{ name: 'DATABASE_URL', value: databaseUrl }],
      }),
    ],
    loadBalancers: [{ targetGroupArn, containerName: 'storefront', containerPort: 8080 }],
    healthCheckGracePeriodSeconds: 10,
  });
  return { cluster, service, url };
}

/** What one request through the load balancer answers: its status and the release that served it. */
export async function answerThrough(url: string): Promise<{ status: number; version?: string }> {
  const response = await fetch(`${url}/`);
  return { status: response.status, version: ((await response.json()) as { version?: string }).version };
}

import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  ListServiceDeploymentsCommand,
  type ECSClient,
  type Service,
} from '@aws-sdk/client-ecs';
import type { PreflightCheck } from '../check';

export interface ServiceDeploymentsReadableOptions {
  ecs: ECSClient;
  cluster: string;
  service: Service;
}

const PERMISSIONS = ['ecs:ListServiceDeployments', 'ecs:DescribeServiceDeployments', 'ecs:DescribeServiceRevisions'];

/**
 * A blue/green, linear or canary deployment is followed through its service deployment: found by
 * ListServiceDeployments, read by DescribeServiceDeployments, matched to its revision by DescribeServiceRevisions.
 * A role that may not make one of these calls would find out only after UpdateService, with a deployment started
 * that nobody follows: so each is made once here, on the service's current service deployment, before any change.
 * It protects.
 */
export function serviceDeploymentsReadableCheck(options: ServiceDeploymentsReadableOptions): PreflightCheck<undefined> {
  return {
    id: 'service-deployments-readable',
    title: 'Service deployments can be followed',
    protects: true,
    permissions: PERMISSIONS,
    run: async () => {
      const { ecs, cluster, service } = options;
      const listed = await ecs.send(
        new ListServiceDeploymentsCommand({ cluster, service: service.serviceArn ?? service.serviceName, maxResults: 1 }),
      );
      const arn = service.currentServiceDeployment ?? listed.serviceDeployments?.[0]?.serviceDeploymentArn;
      // A service always has one once created; without it the two reads cannot be tried, and the first use says so.
      if (!arn) return { status: 'pass', detail: 'ListServiceDeployments answered; the service has no service deployment to read yet' };
      const described = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
      const revision = described.serviceDeployments?.[0]?.targetServiceRevision?.arn;
      if (revision) await ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [revision] }));
      return {
        status: 'pass',
        detail: `${revision ? 'ListServiceDeployments, DescribeServiceDeployments and DescribeServiceRevisions' : 'ListServiceDeployments and DescribeServiceDeployments'} answered: the deployment can be followed`,
      };
    },
  };
}

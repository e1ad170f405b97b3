import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import { describeService } from '../../ecs/service';
import type { PreflightCheck } from '../check';

export interface ServiceExistsOptions {
  ecs: ECSClient;
  cluster: string;
  service: string;
  region: string;
}

/** The service to watch exists and is not being deleted, so a typo fails now rather than as an endless unhealthy check. */
export function serviceExistsCheck(options: ServiceExistsOptions): PreflightCheck<Service> {
  return {
    id: 'service-exists',
    title: 'Service exists',
    protects: false,
    permissions: ['ecs:DescribeServices'],
    run: async () => {
      const service = await describeService(options.ecs, options.cluster, options.service, options.region);
      return {
        status: 'pass',
        detail: `service "${service.serviceName}" is ${service.status} in cluster "${options.cluster}"`,
        value: service,
      };
    },
  };
}

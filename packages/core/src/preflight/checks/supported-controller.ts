import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import { describeService } from '../../ecs/service';
import type { PreflightCheck } from '../check';

export interface SupportedControllerOptions {
  ecs: ECSClient;
  cluster: string;
  service: string;
  region: string;
  /**
   * The guard that refuses what no deployment mechanism handles. The deployment layer gives it (see
   * supportedServiceCheck), so that mechanismFor alone decides what is supported.
   */
  assertSupported: (service: Service) => void;
  /**
   * The service as the caller read it already (several services are described 10 a DescribeServices call first):
   * judged as read, without a call of its own. Active, as describeService would have found it.
   */
  described?: Service;
}

/**
 * The service exists and uses a deployment controller this suite can deploy and watch. It protects: an update
 * this suite cannot follow would be left unjudged. Its value is the described service, for the use case.
 */
export function supportedControllerCheck(options: SupportedControllerOptions): PreflightCheck<Service> {
  return {
    id: 'supported-controller',
    title: 'Supported deployment controller',
    protects: true,
    permissions: ['ecs:DescribeServices'],
    run: async () => {
      const service = options.described ?? (await describeService(options.ecs, options.cluster, options.service, options.region));
      options.assertSupported(service);
      const controller = service.deploymentController?.type ?? 'ECS';
      return { status: 'pass', detail: `service "${service.serviceName}" uses the ${controller} deployment controller`, value: service };
    },
  };
}

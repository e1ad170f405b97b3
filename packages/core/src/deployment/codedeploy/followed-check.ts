import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { Service } from '@aws-sdk/client-ecs';
import { ConfigurationError } from '../../common/errors';
import { readCodeDeployDeployment } from '../../codedeploy/read-deployment';
import { ecsTargetId } from '../../codedeploy/target';
import type { WaitUntil } from '../../ecs/watch-loop';
import type { PreflightCheck } from '../../preflight/check';
import { DEFAULT_ECS_CONFIG } from './group-check';
import { codeDeployWaitMs } from './wait-time';

const INPUT = 'codedeploy-deployment-id';

/**
 * The deployment codedeploy-deployment-id names exists and deploys this service (its target `<cluster>:<service>`),
 * checked before anything; its value says how long it waits by design (its own blue/green settings and
 * configuration), so the default timeout covers a termination wait still ahead.
 */
export function followedDeploymentCheck(options: {
  codedeploy: CodeDeployClient;
  cluster: string;
  service: Service;
  deploymentId: string;
  waitUntil: WaitUntil;
}): PreflightCheck<{ waitMs: number }> {
  return {
    id: 'codedeploy-deployment',
    title: 'CodeDeploy deployment to follow',
    protects: true,
    permissions: ['codedeploy:GetDeployment', 'codedeploy:GetDeploymentTarget'],
    run: async () => {
      const { deploymentId } = options;
      const serviceName = options.service.serviceName ?? '';
      const read = await readCodeDeployDeployment(options.codedeploy, {
        deploymentId,
        cluster: options.cluster,
        service: serviceName,
      }).catch((error: unknown) => {
        if ((error as Error).name !== 'DeploymentDoesNotExistException') throw error;
        throw new ConfigurationError(
          `Input '${INPUT}': CodeDeploy does not know deployment ${deploymentId} in this account and region. Give deploy-ecs's codedeploy-deployment-id output of the run that created it.`,
          INPUT,
        );
      });
      const { deployment } = read;
      if (!read.target && deployment.status !== 'Created') {
        return {
          status: 'fail',
          input: INPUT,
          detail: `Input '${INPUT}': CodeDeploy deployment ${deploymentId} (application "${deployment.applicationName}", deployment group "${deployment.deploymentGroupName}") has no target ${ecsTargetId(options.cluster, serviceName)}: it does not deploy this service.`,
          fix: 'Give the service it deploys, or the id of a deployment of this service. Nothing was changed.',
        };
      }
      const waitMs = codeDeployWaitMs(deployment, deployment.deploymentConfigName ?? DEFAULT_ECS_CONFIG, options.waitUntil);
      return {
        status: 'pass',
        detail: `deployment ${deploymentId} of group "${deployment.deploymentGroupName}" is ${deployment.status}`,
        value: { waitMs },
      };
    },
  };
}

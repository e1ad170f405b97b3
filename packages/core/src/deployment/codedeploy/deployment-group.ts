import { GetDeploymentGroupCommand, type CodeDeployClient, type DeploymentGroupInfo } from '@aws-sdk/client-codedeploy';
import { ConfigurationError } from '../../common/errors';
import { nameFromArn } from '../../common/identifiers';
import type { CodeDeployNames } from './settings';

/**
 * The deployment group (GetDeploymentGroup). An application or group that does not exist is the input's mistake: the
 * error names the input and, when it was not given, the default tried.
 */
export async function readDeploymentGroup(codedeploy: CodeDeployClient, names: CodeDeployNames): Promise<DeploymentGroupInfo> {
  try {
    const answer = await codedeploy.send(
      new GetDeploymentGroupCommand({ applicationName: names.application, deploymentGroupName: names.deploymentGroup }),
    );
    if (!answer.deploymentGroupInfo) throw new Error(`GetDeploymentGroup answered no deployment group ${names.deploymentGroup}.`);
    return answer.deploymentGroupInfo;
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'ApplicationDoesNotExistException') {
      throw new ConfigurationError(
        `Input 'codedeploy-application': there is no CodeDeploy application "${names.application}"${tried(names.defaulted.application, 'AppECS-<cluster>-<service>')}. ` +
          "Give the application of the service's deployment group in 'codedeploy-application'. Nothing was changed.",
        'codedeploy-application',
      );
    }
    if (name === 'DeploymentGroupDoesNotExistException') {
      throw new ConfigurationError(
        `Input 'codedeploy-deployment-group': application "${names.application}" has no deployment group "${names.deploymentGroup}"${tried(names.defaulted.deploymentGroup, 'DgpECS-<cluster>-<service>')}. ` +
          "Give the deployment group that deploys this service in 'codedeploy-deployment-group'. Nothing was changed.",
        'codedeploy-deployment-group',
      );
    }
    throw error;
  }
}

function tried(defaulted: boolean, convention: string): string {
  return defaulted ? ` (the input was not given, so the console's default ${convention} was tried)` : '';
}

/** Whether the group deploys this service of this cluster (ecsServices, by names). */
export function groupTargetsService(group: DeploymentGroupInfo, cluster: string, service: string): boolean {
  return (group.ecsServices ?? []).some(
    (target) => target.clusterName === nameFromArn(cluster) && target.serviceName === nameFromArn(service),
  );
}

/** `cluster/service` of what the group deploys, for a message. */
export function groupTargets(group: DeploymentGroupInfo): string {
  const targets = (group.ecsServices ?? []).map((target) => `${target.clusterName}/${target.serviceName}`);
  return targets.length ? targets.join(', ') : 'no ECS service';
}

import { nameFromArn } from '../../common/identifiers';

/** deploy-ecs's inputs about CodeDeploy, as given (undefined: not given). */
export interface CodeDeployInputs {
  application?: string;
  deploymentGroup?: string;
  deploymentConfig?: string;
  /** Path to an AppSpec file (JSON or YAML) whose TaskDefinition is replaced with the revision deployed. */
  appSpecFile?: string;
}

/** Where a CodeDeploy deployment of the service is created: the inputs, or the console's naming convention. */
export interface CodeDeployNames {
  application: string;
  deploymentGroup: string;
  /** Which of the two were defaults, so an error says what was tried. */
  defaulted: { application: boolean; deploymentGroup: boolean };
}

/**
 * The application and deployment group: as given, else `AppECS-<cluster>-<service>` and `DgpECS-<cluster>-<service>`,
 * the names the ECS console gives them when it creates a CodeDeploy blue/green service (by names, not ARNs).
 */
export function codeDeployNames(cluster: string, service: string, inputs: CodeDeployInputs = {}): CodeDeployNames {
  const suffix = `${nameFromArn(cluster)}-${nameFromArn(service)}`;
  return {
    application: inputs.application ?? `AppECS-${suffix}`,
    deploymentGroup: inputs.deploymentGroup ?? `DgpECS-${suffix}`,
    defaulted: { application: inputs.application === undefined, deploymentGroup: inputs.deploymentGroup === undefined },
  };
}

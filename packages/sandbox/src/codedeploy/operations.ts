import { applicationOperations } from './applications';
import { deploymentConfigOperations } from './deployment-configs';
import { deploymentGroupOperations } from './deployment-groups';

/** Every CodeDeploy operation the sandbox answers, by its name in X-Amz-Target. */
export const codeDeployOperations = {
  ...applicationOperations,
  ...deploymentGroupOperations,
  ...deploymentConfigOperations,
};

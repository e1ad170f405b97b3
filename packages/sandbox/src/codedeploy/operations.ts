import { applicationOperations } from './applications';
import { deploymentConfigOperations } from './deployment-configs';
import { deploymentControlOperations } from './deployment-control';
import { deploymentGroupOperations } from './deployment-groups';
import { deploymentOperations } from './deployments';
import { hookOperations } from './hooks';
import { targetOperations } from './targets';
import { revisionOperations } from './revisions';
import { groupChangeOperations } from './group-changes';

/** Every CodeDeploy operation the sandbox answers, by its name in X-Amz-Target. */
export const codeDeployOperations = {
  ...applicationOperations,
  ...deploymentGroupOperations,
  ...deploymentConfigOperations,
  ...deploymentOperations,
  ...targetOperations,
  ...deploymentControlOperations,
  ...hookOperations,
  ...revisionOperations,
  ...groupChangeOperations,
};

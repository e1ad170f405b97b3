/**
 * CodeDeploy's exceptions, by the names of its service model. Their messages: "No application found for name: X"
 * and "Applications not found for <account>" are CodeDeploy's own (quoted in aws/aws-cli#2270, travis-ci/travis-ci#7458), and so is DeploymentLimitExceededException's; every other wording here is *unconfirmed* (the API reference
 * names the exceptions, not their messages), written in the same style.
 */
import { AwsError } from '../errors';

const error = (type: string, message: string) => new AwsError(type, message);

export const applicationDoesNotExist = (name: string) =>
  error('ApplicationDoesNotExistException', `No application found for name: ${name}`);
/** BatchGetApplications' wording (quoted in travis-ci/travis-ci#7458). */
export const applicationsNotFound = (accountId: string) =>
  error('ApplicationDoesNotExistException', `Applications not found for ${accountId}`);
export const applicationAlreadyExists = (name: string) =>
  error('ApplicationAlreadyExistsException', `The application ${name} already exists with the IAM user or AWS account.`);
export const applicationNameRequired = () =>
  error('ApplicationNameRequiredException', 'The minimum number of required application names was not specified.');
export const invalidApplicationName = (name: string) =>
  error('InvalidApplicationNameException', `The application name ${name} is not valid.`);
export const deploymentGroupNameRequired = () =>
  error('DeploymentGroupNameRequiredException', 'The deployment group name was not specified.');
export const invalidDeploymentGroupName = (name: string) =>
  error('InvalidDeploymentGroupNameException', `The deployment group name ${name} is not valid.`);
export const deploymentGroupDoesNotExist = (application: string, group: string) =>
  error('DeploymentGroupDoesNotExistException', `No Deployment Group found for name: ${group} in application ${application}`);
export const deploymentGroupAlreadyExists = (application: string, group: string) =>
  error('DeploymentGroupAlreadyExistsException', `The deployment group ${group} already exists with the application ${application}.`);
export const deploymentConfigDoesNotExist = (name: string) =>
  error('DeploymentConfigDoesNotExistException', `No deployment configuration found for name: ${name}`);
export const deploymentConfigNameRequired = () =>
  error('DeploymentConfigNameRequiredException', 'The deployment configuration name was not specified.');
export const invalidComputePlatform = (message: string) => error('InvalidComputePlatformException', message);
export const invalidDeploymentConfigName = (message: string) => error('InvalidDeploymentConfigNameException', message);
export const roleRequired = () => error('RoleRequiredException', 'The role ID was not specified.');
export const invalidRole = (role: string) => error('InvalidRoleException', `The service role ${role} is not a valid IAM role ARN.`);
export const invalidEcsService = (message: string) => error('InvalidECSServiceException', message);
export const ecsServiceMappingLimitExceeded = () =>
  error(
    'ECSServiceMappingLimitExceededException',
    'The Amazon ECS service is associated with more than one deployment groups. An Amazon ECS service can be associated with only one deployment group.',
  );
export const invalidTargetGroupPair = (message: string) => error('InvalidTargetGroupPairException', message);
export const invalidLoadBalancerInfo = (message: string) => error('InvalidLoadBalancerInfoException', message);
export const invalidDeploymentStyle = (message: string) => error('InvalidDeploymentStyleException', message);
export const invalidBlueGreenConfiguration = (message: string) => error('InvalidBlueGreenDeploymentConfigurationException', message);
export const invalidAutoRollbackConfig = (message: string) => error('InvalidAutoRollbackConfigException', message);
export const invalidInput = (message: string) => error('InvalidInputException', message);
export const batchLimitExceeded = () =>
  error('BatchLimitExceededException', 'The maximum number of names or IDs allowed for this request (100) was exceeded.');
export const invalidNextToken = () => error('InvalidNextTokenException', 'The next token was specified in an invalid format.');
export const deploymentIdRequired = () => error('DeploymentIdRequiredException', 'At least one deployment ID must be specified.');
export const invalidDeploymentId = (id: string) => error('InvalidDeploymentIdException', `The deployment ID ${id} is not valid.`);
export const deploymentDoesNotExist = (id: string) => error('DeploymentDoesNotExistException', `The deployment ${id} could not be found.`);
export const deploymentTargetIdRequired = () => error('DeploymentTargetIdRequiredException', 'A deployment target ID was not provided.');
export const deploymentTargetDoesNotExist = (id: string) =>
  error('DeploymentTargetDoesNotExistException', `The provided target ID ${id} does not belong to the deployment.`);
export const deploymentNotStarted = (id: string) => error('DeploymentNotStartedException', `The deployment ${id} has not started.`);
export const revisionRequired = () => error('RevisionRequiredException', 'The revision ID was not specified.');
export const invalidRevision = (message: string) => error('InvalidRevisionException', message);
/** CodeDeploy's own words for a group with a deployment under way (quoted from an ECS group in CircleCI-Public/aws-ecs-orb#181). */
export const deploymentLimitExceeded = (group: string, activeDeploymentId: string) =>
  error('DeploymentLimitExceededException', `The Deployment Group '${group}' already has an active Deployment '${activeDeploymentId}'`);
export const targetListSizeExceeded = () =>
  error(
    'DeploymentTargetListSizeExceededException',
    'The maximum number of targets that can be associated with an Amazon ECS or Lambda deployment was exceeded. The target list of both types of deployments must have exactly one item. This exception does not apply to EC2/On-premises deployments.',
  );

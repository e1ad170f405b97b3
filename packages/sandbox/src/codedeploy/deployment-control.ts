/**
 * StopDeployment and ContinueDeployment (API reference). StopDeployment answers Pending and the next pass stops
 * the deployment (with a rollback when autoRollbackEnabled); ContinueDeployment READY_WAIT starts rerouting a
 * Ready deployment, TERMINATION_WAIT ends the original task set's retention early. The exceptions' messages are
 * the model's descriptions of them.
 */
import type { Context } from '../context';
import { AwsError } from '../errors';
import type { Json } from '../ecs/state';
import { requireDeployment } from './deployments';
import { FINISHED } from './state';
import { setDeploymentStatus, setTargetStatus } from './progress';

const alreadyCompleted = () => new AwsError('DeploymentAlreadyCompletedException', 'The deployment is already complete.');
const notReady = () =>
  new AwsError('DeploymentIsNotInReadyStateException', "The deployment does not have a status of Ready and can't continue yet.");
const invalidWaitType = () => new AwsError('InvalidDeploymentWaitTypeException', 'The wait type is invalid.');

export const deploymentControlOperations = {
  StopDeployment(ctx: Context, input: Json) {
    const deployment = requireDeployment(ctx, input.deploymentId);
    if (FINISHED.has(deployment.status)) throw alreadyCompleted();
    deployment.stopRequested = { rollback: input.autoRollbackEnabled === true };
    ctx.kick();
    return { status: 'Pending', statusMessage: 'Stopping Pending. Stopping to deploy to the remaining instances.' };
  },

  ContinueDeployment(ctx: Context, input: Json) {
    const deployment = requireDeployment(ctx, input.deploymentId);
    const waitType = input.deploymentWaitType ?? 'READY_WAIT';
    if (waitType !== 'READY_WAIT' && waitType !== 'TERMINATION_WAIT') throw invalidWaitType();
    if (FINISHED.has(deployment.status)) throw alreadyCompleted();
    if (waitType === 'READY_WAIT') {
      if (deployment.status !== 'Ready') throw notReady();
      setDeploymentStatus(ctx, deployment, 'InProgress');
      setTargetStatus(ctx, deployment, 'InProgress');
      deployment.readyContinued = true;
      deployment.waitUntil = undefined;
    } else {
      // Only while the original task set is kept after rerouting (*unconfirmed*: the exception CodeDeploy answers otherwise).
      if (deployment.target.status !== 'Succeeded') throw notReady();
      deployment.waitUntil = ctx.clock.now();
    }
    ctx.kick();
    return {};
  },
};

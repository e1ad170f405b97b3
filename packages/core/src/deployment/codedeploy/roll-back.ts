import { GetDeploymentCommand, StopDeploymentCommand, type CodeDeployClient, type DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { retryingThrottlesOnly } from '../../common/aws';
import { formatDuration } from '../../common/duration';
import { errorMessage, isAccessDenied } from '../../common/errors';
import { shortTaskDefinition } from '../../common/identifiers';
import { poll } from '../../common/poll';
import { isTransientAwsError, retryTransient } from '../../common/retry';
import { isFinalDeploymentStatus, readCodeDeployDeployment, terminationWaitBegun, type CodeDeployDeploymentRead } from '../../codedeploy';
import { describeService } from '../../ecs/service';
import { listStoppedTaskArns } from '../../ecs/stopped-tasks';
import type { MechanismContext, RollBackRequest, StartedRollback } from '../mechanism';
import { isInFlight, isRollbackDeployment } from './group-history';
import { servingTaskDefinition } from './serving-task-definition';
import { originalTaskDefinition } from './original-task-set';
import { createDeploymentOf, rollbackPlanOf } from './rollback-deployment';
import { codeDeployClientOf } from './start';

// Four attempts, 2 s, 4 s, 8 s apart (±50 %), as for ECS's StopServiceDeployment.
const STOP_ATTEMPTS = 4;
const STOP_BASE_DELAY_MS = 2_000;
const POLL_MS = 1_000;

export type CodeDeployRollbackCall = 'StopDeployment' | 'CreateDeployment';

/**
 * The way back on a CODE_DEPLOY service. While a deployment of the release is in flight (Created, Queued, InProgress
 * including the termination wait, Ready at its gate) and its original task set runs the target, StopDeployment with
 * autoRollbackEnabled: CodeDeploy "implements rollbacks by rerouting traffic from the replacement task set to the
 * original task set" (user guide, "Deployments on an Amazon ECS compute platform", Redeployments and deployment
 * rollbacks) in a rollback deployment of its own, named in the stopped one's rollbackInfo, which is the one watched.
 * In the termination wait (production rerouted, the original kept) the stop is the way back too; that CodeDeploy
 * reroutes then rather than refusing is *unconfirmed* (no primary source says it either way), so a stop that ends
 * without a rollback deployment and leaves production elsewhere is followed by a new deployment of the target.
 * A rollback CodeDeploy already runs is never stopped or deployed over. Once the release finished (Succeeded: the
 * original task set is gone), nothing is left to reroute to: a new deployment of the target (CreateDeployment)
 * runs the whole deployment again.
 */
export async function startCodeDeployRollback(
  request: RollBackRequest,
  context: MechanismContext,
): Promise<StartedRollback & { mechanism: CodeDeployRollbackCall }> {
  const codedeploy = codeDeployClientOf(context);
  const { ecs, log } = context;
  const { targetArn } = request;
  const now = await describeService(ecs, request.cluster, request.service, request.region);
  const plan = await rollbackPlanOf(request, codedeploy, now);
  const stoppedBefore = request.wait ? await listStoppedTaskArns(ecs, request.cluster, request.service) : [];
  const current = request.history.current;
  const inFlightId = current?.inFlight ? current.deploymentId : undefined;
  if (inFlightId) {
    const read = await readCodeDeployDeployment(codedeploy, {
      deploymentId: inFlightId,
      cluster: request.cluster,
      service: request.service,
    });
    if (isInFlight(read.deployment) && isRollbackDeployment(read.deployment)) {
      // CodeDeploy rolls back to another revision than the target (else the service would be "already there"):
      // a rollback is never stopped; the new deployment of the target waits for it to end.
      log.info(
        `CodeDeploy's own rollback deployment ${inFlightId} is under way to another revision than ${shortTaskDefinition(targetArn)}: ` +
          'waiting for it to end (a rollback is never stopped), then deploying the target.',
      );
      await awaitEnd(codedeploy, inFlightId, request, context);
    } else if (isInFlight(read.deployment)) {
      const stopped = await stopInFlight(codedeploy, read, request, context, stoppedBefore);
      if (stopped) return stopped;
    }
  }
  return createDeploymentOf(plan, request, context);
}

/**
 * StopDeployment with autoRollbackEnabled, then the rollback deployment CodeDeploy names in the stopped one's
 * rollbackInfo. Undefined when the way back is a new deployment after all: CodeDeploy's rollback returns to another
 * revision than the target (waited for first), or the deployment ended without a rollback while it still left the
 * service elsewhere.
 */
async function stopInFlight(
  codedeploy: CodeDeployClient,
  read: CodeDeployDeploymentRead,
  request: RollBackRequest,
  context: MechanismContext,
  stoppedBefore: string[],
): Promise<(StartedRollback & { mechanism: CodeDeployRollbackCall }) | undefined> {
  const { ecs, log, clock } = context;
  const { targetArn } = request;
  const id = read.deploymentId;
  const before = await describeService(ecs, request.cluster, request.service, request.region);
  const returnsTo = originalTaskDefinition(before, read);
  const where = stageOf(read);
  const startedAt = clock.now();
  const answer = await stopDeployment(codedeploy, id, context);
  const ended = await rollbackNamed(codedeploy, id, request, context);
  const rollbackId = ended.rollbackInfo?.rollbackDeploymentId;
  if (rollbackId) {
    const call = `StopDeployment (autoRollbackEnabled) of CodeDeploy deployment ${id}, still in flight (${where})${answer.alreadyCompleted ? ', which CodeDeploy had already ended' : ''}`;
    if (returnsTo === undefined || returnsTo === targetArn) {
      return {
        mechanism: 'StopDeployment',
        description: `${call}: CodeDeploy's rollback deployment ${rollbackId} reroutes production traffic back to the original task set${returnsTo ? ` (${shortTaskDefinition(returnsTo)})` : ''}`,
        deploymentId: rollbackId,
        startedAt,
        service: before,
        stoppedBefore,
      };
    }
    log.info(
      `${call}: CodeDeploy's rollback deployment ${rollbackId} returns production to the original task set, ${shortTaskDefinition(returnsTo)}, ` +
        `not to ${shortTaskDefinition(targetArn)}: waiting for it to end, then deploying the target.`,
    );
    await awaitEnd(codedeploy, rollbackId, request, context);
    return undefined;
  }
  // No rollback deployment: the stop came before anything changed, or the deployment had finished meanwhile.
  const after = await describeService(ecs, request.cluster, request.service, request.region);
  const settledOnTarget = servingTaskDefinition(after) === targetArn && (after.taskSets?.length ?? 1) <= 1;
  log.info(
    `CodeDeploy deployment ${id} ended ${ended.status ?? '(status unknown)'} without a rollback deployment; ` +
      (settledOnTarget
        ? `the service serves ${shortTaskDefinition(targetArn)} from its one task set.`
        : `the service serves ${shortTaskDefinition(servingTaskDefinition(after))}: deploying the target.`),
  );
  if (!settledOnTarget) return undefined;
  return {
    mechanism: 'StopDeployment',
    description: `StopDeployment (autoRollbackEnabled) of CodeDeploy deployment ${id} (${where}), before production traffic moved: the original task set of ${shortTaskDefinition(targetArn)} serves alone`,
    deploymentId: id,
    startedAt,
    service: after,
    stoppedBefore,
    settled: true,
  };
}

/** StopDeployment with autoRollbackEnabled, retried while it fails transiently; a deployment CodeDeploy had already ended is said, not thrown. */
async function stopDeployment(
  codedeploy: CodeDeployClient,
  deploymentId: string,
  context: MechanismContext,
): Promise<{ alreadyCompleted: boolean }> {
  const label = `StopDeployment (autoRollbackEnabled) of CodeDeploy deployment ${deploymentId}`;
  try {
    const answer = await retryTransient(
      () =>
        codedeploy.send(
          retryingThrottlesOnly(new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: true }), { signal: context.signal }),
        ),
      { attempts: STOP_ATTEMPTS, baseDelayMs: STOP_BASE_DELAY_MS, label, log: context.log, clock: context.clock, signal: context.signal },
    );
    context.log.info(
      `${label}: CodeDeploy answered ${answer.status ?? '(no status)'}${answer.statusMessage ? ` (${answer.statusMessage})` : ''}.`,
    );
    return { alreadyCompleted: false };
  } catch (error) {
    // It finished (or a person stopped it) between the read and the stop: what it left decides, read next.
    if ((error as Error).name === 'DeploymentAlreadyCompletedException') {
      context.log.info(`${label}: CodeDeploy answered that the deployment is already complete; reading what it left.`);
      return { alreadyCompleted: true };
    }
    if (isAccessDenied(error)) {
      throw new Error(
        `${label} was refused (${(error as Error).name}: ${errorMessage(error)}): grant codedeploy:StopDeployment on the deployment group. ` +
          'A new deployment of the target cannot start while this one is in flight, so nothing was changed.',
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * Follows the stopped deployment until CodeDeploy names its rollback deployment (rollbackInfo.rollbackDeploymentId)
 * or it ends without one. StopDeployment answers Pending while lifecycle events still run, and the stop and its
 * rollback deployment appear later (user guide, "Stopped and failed deployments").
 */
async function rollbackNamed(
  codedeploy: CodeDeployClient,
  deploymentId: string,
  request: RollBackRequest,
  context: MechanismContext,
): Promise<DeploymentInfo> {
  return readUntil(
    codedeploy,
    deploymentId,
    { request, context },
    (info) => Boolean(info.rollbackInfo?.rollbackDeploymentId) || isFinalDeploymentStatus(info.status),
    `CodeDeploy accepted StopDeployment of deployment ${deploymentId} but neither ended it nor named a rollback deployment within ${formatDuration(request.timeoutMs)}; look at the deployment in the CodeDeploy console.`,
  );
}

/** Waits for a deployment to end (Succeeded, Failed or Stopped), for as long as the step may take. */
async function awaitEnd(codedeploy: CodeDeployClient, deploymentId: string, request: RollBackRequest, context: MechanismContext) {
  const ended = await readUntil(
    codedeploy,
    deploymentId,
    { request, context },
    (info) => isFinalDeploymentStatus(info.status),
    `CodeDeploy deployment ${deploymentId} did not end within ${formatDuration(request.timeoutMs)}, so the deployment of ${shortTaskDefinition(request.targetArn)} could not start; look at it in the CodeDeploy console.`,
  );
  context.log.info(`CodeDeploy deployment ${deploymentId} ended ${ended.status}.`);
  return ended;
}

/** Reads the deployment about once a second until `done` holds, within the step's timeout; else fails with `timedOut`. */
async function readUntil(
  codedeploy: CodeDeployClient,
  deploymentId: string,
  { request, context }: { request: RollBackRequest; context: MechanismContext },
  done: (info: DeploymentInfo) => boolean,
  timedOut: string,
): Promise<DeploymentInfo> {
  const result = await poll<DeploymentInfo>({
    intervalMs: POLL_MS,
    timeoutMs: request.timeoutMs,
    clock: context.clock,
    signal: context.signal,
    check: async () => {
      const info = await readInfo(codedeploy, deploymentId);
      return info && done(info) ? info : undefined;
    },
  });
  if (!result.done) throw new Error(timedOut);
  return result.value;
}

/** GetDeployment in a poll: a throttled or failed read skips a round. */
async function readInfo(codedeploy: CodeDeployClient, deploymentId: string): Promise<DeploymentInfo | undefined> {
  try {
    return (await codedeploy.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo;
  } catch (error) {
    if (isTransientAwsError(error)) return undefined;
    throw error;
  }
}

/** Where the deployment is, in words: its status, the event under way, and whether the termination wait began. */
function stageOf(read: CodeDeployDeploymentRead): string {
  if (terminationWaitBegun(read)) return 'production rerouted, in its termination wait';
  if (read.deployment.status === 'Ready') return 'Ready, waiting for ContinueDeployment before production traffic moves';
  const event = read.target?.lifecycleEvents?.find((e) => e.status === 'InProgress');
  return `${read.deployment.status ?? 'status unknown'}${event?.lifecycleEventName ? `, at ${event.lifecycleEventName}` : ''}`;
}

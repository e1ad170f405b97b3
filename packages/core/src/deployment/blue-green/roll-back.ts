import { DescribeServiceDeploymentsCommand, type ECSClient, type ServiceDeployment } from '@aws-sdk/client-ecs';
import { errorMessage } from '../../common/errors';
import { shortTaskDefinition } from '../../common/identifiers';
import { WorkflowCancelled } from '../../common/cancellation';
import { answerPauseHook, PauseHookAnswerDenied, type PauseHookAnswer } from '../../ecs/pause-hook-answer';
import { awaitingPauseHook } from '../../ecs/pause-hook';
import { serviceDeploymentId } from '../../ecs/deployment-history';
import { findServiceDeployment } from '../../ecs/find-service-deployment';
import { describeService, primaryDeployment } from '../../ecs/service';
import { ROLLBACK_UNDER_WAY_STATUSES } from '../../ecs/service-deployment-statuses';
import { listStoppedTaskArns } from '../../ecs/stopped-tasks';
import type { MechanismContext, RollBackRequest, StartedRollback } from '../mechanism';
import { primaryOf, stoppableDeployment, updateServiceTo } from '../rolling/roll-back';
import { requestEcsRollback, serviceDeploymentRollingBack } from '../stop-rollback';

/**
 * The way back on a blue/green, linear or canary service. While the release's service deployment is in flight and
 * ECS's own rollback returns to the target, the rollback is a traffic shift back inside it: ContinueServiceDeployment
 * ROLLBACK when a PAUSE hook awaits action (a stop would not be the hook's answer), else StopServiceDeployment
 * ROLLBACK; either is watched to ROLLBACK_SUCCESSFUL. After the deployment finished (clean-up removed the old
 * revision) nothing is left to reverse: a new deployment of the target runs through the whole strategy again.
 */
export async function startStrategyRollback(request: RollBackRequest, context: MechanismContext): Promise<StartedRollback> {
  const { ecs, log, clock } = context;
  const { targetArn, history } = request;
  const stoppedBefore = request.wait ? await listStoppedTaskArns(ecs, request.cluster, request.service) : [];
  const current = history.current;
  // ECS is already shifting traffic back (a hook, an alarm, the breaker, a person): a new deployment on top of its
  // rollback would start the whole strategy again; its rollback is watched instead.
  if (current?.serviceDeploymentArn && ROLLBACK_UNDER_WAY_STATUSES.has(current.status ?? '')) {
    const service = await describeService(ecs, request.cluster, request.service, request.region);
    return {
      mechanism: 'none',
      description: `none: ECS is already rolling service deployment ${serviceDeploymentId(current.serviceDeploymentArn)} back (${current.status})`,
      deploymentId: primaryDeployment(service)?.id ?? serviceDeploymentId(current.serviceDeploymentArn),
      serviceDeploymentArn: current.serviceDeploymentArn,
      expect: 'rollback',
      startedAt: clock.now(),
      service,
      stoppedBefore,
    };
  }
  const inFlight = stoppableDeployment(history, targetArn, log);
  if (inFlight) {
    const startedAt = clock.now();
    const within = await rollBackWithin(ecs, inFlight, context);
    if (within) {
      const service = await describeService(ecs, request.cluster, request.service, request.region);
      return {
        ...within,
        deploymentId: primaryDeployment(service)?.id ?? serviceDeploymentId(inFlight),
        serviceDeploymentArn: inFlight,
        expect: 'rollback',
        startedAt,
        service,
        stoppedBefore,
      };
    }
  }
  log.info(
    `The release's service deployment has finished (or could not be rolled back within): deploying ${shortTaskDefinition(targetArn)} again, ` +
      'which runs through the whole strategy (test traffic, production shift, bake) again.',
  );
  const startedAt = clock.now();
  const service = await updateServiceTo(ecs, request, startedAt, context);
  const deploymentId = service ? primaryOf(service, targetArn) : undefined;
  if (!service || !deploymentId)
    throw new Error(`UpdateService returned no primary deployment of ${shortTaskDefinition(targetArn)} to watch.`);
  const found = await findServiceDeployment(
    ecs,
    { cluster: request.cluster, service: request.service, taskDefinitionArn: targetArn, since: startedAt },
    context,
  );
  return {
    mechanism: 'UpdateService',
    description: `UpdateService to ${shortTaskDefinition(targetArn)} (a new deployment, through the whole ${strategyOf(service.deploymentConfiguration?.strategy)} strategy again)`,
    deploymentId,
    ...(found?.serviceDeploymentArn ? { serviceDeploymentArn: found.serviceDeploymentArn } : {}),
    startedAt,
    service,
    stoppedBefore,
  };
}

/** Rolls the in-flight service deployment back within itself; undefined when ECS would not (update the service instead). */
async function rollBackWithin(
  ecs: ECSClient,
  serviceDeploymentArn: string,
  context: MechanismContext,
): Promise<Pick<StartedRollback, 'mechanism' | 'description'> | undefined> {
  const { log } = context;
  const id = serviceDeploymentId(serviceDeploymentArn);
  const read = () => readServiceDeployment(ecs, serviceDeploymentArn);
  const hook = awaitingPauseHook((await read()) ?? {});
  if (hook) {
    // verify-health's answer to a hook (re-read before each retry, so a hook that moved on is not answered twice).
    const answer: PauseHookAnswer | { answered: false; denied: PauseHookAnswerDenied } = await answerPauseHook(
      ecs,
      serviceDeploymentArn,
      hook,
      'ROLLBACK',
      read,
      context,
    ).catch((error: unknown) => {
      if (error instanceof WorkflowCancelled) throw error;
      if (error instanceof PauseHookAnswerDenied) return { answered: false as const, denied: error };
      return { answered: false as const, why: errorMessage(error) };
    });
    if (answer.answered) {
      return {
        mechanism: 'ContinueServiceDeployment',
        description: `ContinueServiceDeployment (ROLLBACK) of PAUSE hook ${hook.hookId} of service deployment ${id}, paused in flight: traffic shifts back to the old revision`,
      };
    }
    // A missing permission is the user's to fix: a warning, with the grant that lets the hook itself be answered.
    if ('denied' in answer) {
      log.warning(
        `ContinueServiceDeployment (ROLLBACK) of PAUSE hook ${hook.hookId} of service deployment ${id} was refused (${answer.denied.refusal}): ` +
          'the role may not call ecs:ContinueServiceDeployment, so auto-rollback stops the deployment with StopServiceDeployment (ROLLBACK) instead, ' +
          'which shifts traffic back within it too. Grant ecs:ContinueServiceDeployment to answer the hook itself.',
      );
    } else {
      // The hook expired or was answered meanwhile: a stop still rolls back within.
      log.info(
        `ContinueServiceDeployment (ROLLBACK) of hook ${hook.hookId} did not go through (${answer.why}): stopping the deployment instead.`,
      );
    }
  }
  const rollingBack = async () => {
    const status = await serviceDeploymentRollingBack(ecs, serviceDeploymentArn);
    return status ? `service deployment ${id} is ${status}` : undefined;
  };
  const answer = await requestEcsRollback(ecs, serviceDeploymentArn, rollingBack, context);
  if (!answer.applied) return undefined;
  const despite = answer.despite ? ` (ECS answered ${answer.despite}, but the rollback was under way)` : '';
  return {
    mechanism: 'StopServiceDeployment',
    description: `StopServiceDeployment (ROLLBACK) of service deployment ${id}, still in flight: traffic shifts back to the old revision${despite}`,
  };
}

async function readServiceDeployment(ecs: ECSClient, arn: string): Promise<ServiceDeployment | undefined> {
  const answer = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
  return answer.serviceDeployments?.[0];
}

function strategyOf(strategy: string | undefined): string {
  return strategy ?? 'deployment';
}

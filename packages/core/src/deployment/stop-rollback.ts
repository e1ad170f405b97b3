import { DescribeServiceDeploymentsCommand, StopServiceDeploymentCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { errorMessage, isAccessDenied } from '../common/errors';
import { retryingThrottlesOnly } from '../common/aws';
import { retryTransient, type RetryContext } from '../common/retry';
import { serviceDeploymentId } from '../ecs/deployment-history';
import { ROLLING_BACK_STATUSES } from '../ecs/service-deployment-statuses';

// Four attempts, 2 s, 4 s, 8 s apart (±50 %): a throttle or a brief outage is ridden out within about half a minute.
const STOP_ATTEMPTS = 4;
const STOP_BASE_DELAY_MS = 2_000;

/**
 * Errors after which an ordinary UpdateService to the target is the way back, each with why, for the log. Anything
 * else (a throttle that outlasted the retries, an outage) fails the step: UpdateService would fare no better.
 */
const UPDATE_INSTEAD: Record<string, string> = {
  // ecs:StopServiceDeployment is an IAM action of its own, which many deploy roles lack.
  AccessDeniedException: 'the role may not call ecs:StopServiceDeployment (an IAM action of its own)',
  UnsupportedFeatureException: 'StopServiceDeployment is not supported here',
  InvalidParameterException: 'ECS refused the request',
  ClientException: 'ECS refused the request',
  // The release may have finished, or been replaced, between the history read and the call.
  ConflictException: 'the service deployment can no longer be stopped',
  ServiceDeploymentNotFoundException: 'ECS no longer knows the service deployment',
};

export type StopAnswer =
  { applied: true; /** Set when ECS answered an error although the rollback was under way. */ despite?: string } | { applied: false };

/**
 * Asks ECS to roll the release back within its own service deployment. When the call fails, what ECS did decides,
 * not the error: if the service deployment is rolling back (our request went through, or the circuit breaker, an
 * alarm or a person got there first), the stop is applied and there must be no second deployment on top of it.
 * `rollingBack` re-reads that.
 */
export async function requestEcsRollback(
  ecs: ECSClient,
  serviceDeploymentArn: string,
  rollingBack: () => Promise<string | undefined>,
  retry: RetryContext,
): Promise<StopAnswer> {
  const { log } = retry;
  const label = `StopServiceDeployment (ROLLBACK) of service deployment ${serviceDeploymentId(serviceDeploymentArn)}`;
  try {
    const tookEffect = await retryTransient(
      async (attempt) => {
        // Before a retry, the re-read: the failed attempt may have been applied (its answer lost), and a second stop
        // of a service deployment already rolling back would only be refused (ConflictException).
        const underWay = attempt > 1 ? await rollingBack() : undefined;
        if (underWay) return underWay;
        await ecs.send(
          retryingThrottlesOnly(new StopServiceDeploymentCommand({ serviceDeploymentArn, stopType: 'ROLLBACK' }), { signal: retry.signal }),
        );
        return undefined;
      },
      { attempts: STOP_ATTEMPTS, baseDelayMs: STOP_BASE_DELAY_MS, label, ...retry },
    );
    if (tookEffect) log.info(`${label} had taken effect: ${tookEffect}.`);
    return { applied: true };
  } catch (error) {
    const name = (error as Error).name;
    const answered = `${name}: ${errorMessage(error)}`;
    const underWay = await rollingBack();
    if (underWay) {
      log.info(
        `${label} answered ${answered}, but ${underWay}: the rollback is under way, so this step waits on it and starts no deployment of its own.`,
      );
      return { applied: true, despite: name };
    }
    const why = UPDATE_INSTEAD[name];
    if (!why) throw error;
    const instead = `ECS did not stop service deployment ${serviceDeploymentId(serviceDeploymentArn)} (${answered}): ${why}; updating the service to the target instead.`;
    // A missing permission is the user's to fix: a warning, with the grant that restores the stop.
    if (isAccessDenied(error))
      log.warning(`${instead} Grant ecs:StopServiceDeployment to roll back within the release's own service deployment.`);
    else log.info(instead);
    return { applied: false };
  }
}

/** The service deployment's status when it shows a rollback (ECS's own or ours), read fresh; undefined otherwise or unreadable. */
export async function serviceDeploymentRollingBack(ecs: ECSClient, serviceDeploymentArn: string): Promise<string | undefined> {
  try {
    const answer = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [serviceDeploymentArn] }));
    const status = answer.serviceDeployments?.[0]?.status;
    return status && (ROLLING_BACK_STATUSES.has(status) || status === 'ROLLBACK_FAILED') ? status : undefined;
  } catch {
    return undefined;
  }
}

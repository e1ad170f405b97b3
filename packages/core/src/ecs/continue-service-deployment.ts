import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  type DeploymentLifecycleHookAction,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import { retryingThrottlesOnly } from '../common/aws';
import { retryTransient, type RetryContext } from '../common/retry';
import { serviceDeploymentId } from './deployment-history';

export interface ContinueRequest {
  serviceDeploymentArn: string;
  /** The PAUSE hook awaiting action (lifecycleHookDetails[].hookId). */
  hookId: string;
  action: DeploymentLifecycleHookAction;
}

// Four attempts, 2 s, 4 s, 8 s apart (±50 %), as StopServiceDeployment's.
const CONTINUE_ATTEMPTS = 4;
const CONTINUE_BASE_DELAY_MS = 2_000;

/**
 * Answers a PAUSE hook (ContinueServiceDeployment CONTINUE or ROLLBACK), retried when it fails transiently. Before a
 * retry the hook is read again: when it no longer awaits action, the failed attempt took effect (its answer was
 * lost), and a second answer would only be refused.
 */
export async function continueServiceDeployment(ecs: ECSClient, request: ContinueRequest, retry: RetryContext): Promise<void> {
  const label = `ContinueServiceDeployment (${request.action}) of hook ${request.hookId} of service deployment ${serviceDeploymentId(request.serviceDeploymentArn)}`;
  await retryTransient(
    async (attempt) => {
      if (attempt > 1 && !(await hookAwaitsAction(ecs, request))) {
        retry.log.info(`${label} had taken effect: the hook no longer awaits action.`);
        return;
      }
      await ecs.send(
        retryingThrottlesOnly(
          new ContinueServiceDeploymentCommand({
            serviceDeploymentArn: request.serviceDeploymentArn,
            hookId: request.hookId,
            action: request.action,
          }),
          { signal: retry.signal },
        ),
      );
    },
    { attempts: CONTINUE_ATTEMPTS, baseDelayMs: CONTINUE_BASE_DELAY_MS, label, ...retry },
  );
}

/** Whether the hook still awaits action; true when it cannot be read (the call is then tried again). */
async function hookAwaitsAction(ecs: ECSClient, request: ContinueRequest): Promise<boolean> {
  try {
    const answer = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [request.serviceDeploymentArn] }));
    const hook = answer.serviceDeployments?.[0]?.lifecycleHookDetails?.find((detail) => detail.hookId === request.hookId);
    return hook?.status === 'AWAITING_ACTION';
  } catch {
    return true;
  }
}

import type { Service } from '@aws-sdk/client-ecs';
import { formatDuration } from '../../common/duration';
import { hasPauseHook } from '../../deployment/blue-green/bake-time';
import { mechanismFor } from '../../deployment/mechanism-for';
import type { CheckResult, PreflightCheck } from '../../preflight/check';
import type { DeployRequest } from './request';

/** The watch this step will make: where it ends and for how long. */
export interface WatchPlan {
  waitUntil: NonNullable<DeployRequest['waitUntil']>;
  /** The timeout the watch gets: the input as given, or the default plus the service's bake time. */
  timeoutMs: number;
}

/**
 * The timeout a watch of this service gets: timeout as given, or (by default) 30 minutes plus the bake time and what
 * the mechanism's pre-flight checks found it waits by design (`waitMs`: a CodeDeploy group's ready, traffic-shifting
 * and termination waits).
 */
export function watchPlan(request: DeployRequest, service: Service, waitMs = 0): WatchPlan {
  const bakeMs = mechanismFor(service).bakeTimeMs(service) + waitMs;
  return { waitUntil: request.waitUntil ?? 'complete', timeoutMs: request.timeoutGiven ? request.timeoutMs : request.timeoutMs + bakeMs };
}

/** Whether the wait check has anything to say: an input it is about was given, or the service has stages and bakes. */
export function waitMatters(request: DeployRequest, service: Service): boolean {
  return Boolean(
    request.waitUntil ||
    request.serviceDeploymentArn ||
    request.codeDeployDeploymentId ||
    request.codeDeploy ||
    mechanismFor(service).waitTargets.includes('paused'),
  );
}

/**
 * What the step is asked to wait for is possible on this service, checked before any change: wait-until among what
 * its mechanism can stop at (a rolling update has no PAUSE hook), paused only with a PAUSE hook configured, an
 * explicit timeout that covers the bake when the step waits for completion (a healthy deploy that times out would
 * be rolled back by the workflow's auto-rollback), and service-deployment-arn only on a service that has stages.
 */
export function waitPossibleCheck(request: DeployRequest, service: Service, waitMs = 0): PreflightCheck<WatchPlan> {
  return {
    id: 'wait-possible',
    title: 'Wait covers the deployment',
    protects: true,
    run: async () => {
      const mechanism = mechanismFor(service);
      const plan = watchPlan(request, service, waitMs);
      const name = service.serviceName ?? request.service;
      const strategy = service.deploymentConfiguration?.strategy ?? 'ROLLING';
      const controllerMismatch = mismatchedFollowInput(request, service, name);
      if (controllerMismatch) return controllerMismatch;
      if (!mechanism.waitTargets.includes(plan.waitUntil)) {
        return {
          status: 'fail',
          input: 'wait-until',
          detail: `Input 'wait-until' is ${plan.waitUntil}, but service "${name}" is a ${mechanism.kind} (strategy ${strategy}), which has no PAUSE lifecycle hook to stop at.`,
          fix: `Use ${mechanism.waitTargets.join(' or ')}. Nothing was changed.`,
        };
      }
      // A CodeDeploy group's Ready wait is checked with the group (its pre-flight check).
      if (plan.waitUntil === 'paused' && mechanism.pausesAt === 'pause-hook' && !hasPauseHook(service)) {
        return {
          status: 'fail',
          input: 'wait-until',
          detail: `Input 'wait-until' is paused, but service "${name}" has no PAUSE lifecycle hook in its deploymentConfiguration.lifecycleHooks: the deployment would never pause.`,
          fix: 'Add a hook with targetType PAUSE (e.g. at POST_TEST_TRAFFIC_SHIFT), or use bake or complete. Nothing was changed.',
        };
      }
      const bakeMs = mechanism.bakeTimeMs(service) + waitMs;
      if (request.timeoutGiven && plan.waitUntil === 'complete' && request.timeoutMs < bakeMs) {
        return {
          status: 'fail',
          input: 'timeout',
          detail: `Input 'timeout' (${formatDuration(request.timeoutMs)}) is shorter than service "${name}"'s bake time (${formatDuration(bakeMs)}), and wait-until is complete: every healthy deploy would time out.`,
          fix: `Give a timeout longer than ${formatDuration(bakeMs)} plus the rollout, leave it out (the default adds the bake time), or use wait-until bake. Nothing was changed.`,
        };
      }
      if (request.serviceDeploymentArn && !mechanism.waitTargets.includes('paused')) {
        return {
          status: 'fail',
          input: 'service-deployment-arn',
          detail: `Input 'service-deployment-arn' follows a blue/green, linear or canary service deployment, but service "${name}" is a ${mechanism.kind}.`,
          fix: 'Leave service-deployment-arn out: deploy-ecs watches a rolling update it starts to its end. Nothing was changed.',
        };
      }
      const bake = bakeMs > 0 ? `, the service bakes for ${formatDuration(bakeMs)}` : '';
      return { status: 'pass', detail: `wait until ${plan.waitUntil}, within ${formatDuration(plan.timeoutMs)}${bake}`, value: plan };
    },
  };
}

const CODEDEPLOY_INPUTS = {
  application: 'codedeploy-application',
  deploymentGroup: 'codedeploy-deployment-group',
  deploymentConfig: 'codedeploy-deployment-config',
  appSpecFile: 'appspec',
} as const;

/**
 * An input about the other controller: service-deployment-arn names an ECS service deployment, which a CODE_DEPLOY
 * service has none of (codedeploy-deployment-id is its counterpart), and the CodeDeploy inputs mean nothing to a
 * service of the ECS controller.
 */
function mismatchedFollowInput(request: DeployRequest, service: Service, name: string): CheckResult<never> | undefined {
  const codeDeploy = service.deploymentController?.type === 'CODE_DEPLOY';
  if (codeDeploy && request.serviceDeploymentArn) {
    return {
      status: 'fail',
      input: 'service-deployment-arn',
      detail: `Input 'service-deployment-arn' names an ECS service deployment, but service "${name}" is deployed by CodeDeploy (CODE_DEPLOY deployment controller), which has none.`,
      fix: "Give the CodeDeploy deployment to follow in 'codedeploy-deployment-id' (deploy-ecs's codedeploy-deployment-id output) instead. Nothing was changed.",
    };
  }
  if (codeDeploy) return undefined;
  const given = [
    ...(request.codeDeployDeploymentId ? ['codedeploy-deployment-id'] : []),
    ...Object.entries(CODEDEPLOY_INPUTS).flatMap(([key, input]) =>
      request.codeDeploy?.[key as keyof typeof CODEDEPLOY_INPUTS] !== undefined ? [input] : [],
    ),
  ];
  if (!given.length) return undefined;
  return {
    status: 'fail',
    input: given[0],
    detail: `Input${given.length > 1 ? 's' : ''} ${given.map((input) => `'${input}'`).join(', ')} ${given.length > 1 ? 'are' : 'is'} for services under the CODE_DEPLOY deployment controller, but service "${name}" uses the ECS deployment controller.`,
    fix: `Remove ${given.length > 1 ? 'them' : 'it'}${request.codeDeployDeploymentId ? " (a blue/green service's deployment is followed with 'service-deployment-arn')" : ''}. Nothing was changed.`,
  };
}

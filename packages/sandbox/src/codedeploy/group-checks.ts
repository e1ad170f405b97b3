/**
 * What CreateDeploymentGroup checks of an ECS deployment group before anything is created (CreateDeploymentGroup
 * and the ECS blue/green pages of the CodeDeploy user guide): the BLUE_GREEN WITH_TRAFFIC_CONTROL style, one ECS
 * service under the CODE_DEPLOY controller that no other group targets, one pair of existing target groups of
 * which the service's is one, a production listener (and optionally a test one) forwarding to one of them, the
 * blue/green options within their ranges. Which exception each case gets follows the model's names; the
 * messages are *unconfirmed*.
 */
import type { Context } from '../context';
import { forwardOf } from '../ecs/load-balancers';
import { findService } from '../ecs/resolve';
import type { Json, ServiceRecord } from '../ecs/state';
import {
  ecsServiceMappingLimitExceeded,
  invalidAutoRollbackConfig,
  invalidBlueGreenConfiguration,
  invalidDeploymentStyle,
  invalidEcsService,
  invalidLoadBalancerInfo,
  invalidRole,
  invalidTargetGroupPair,
  roleRequired,
} from './errors';
import type { AutoRollbackRecord, BlueGreenRecord, DeploymentGroupRecord, TargetGroupPairRecord } from './state';

const ROLLBACK_EVENTS = ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST'];
/** terminationWaitTimeInMinutes: "For an Amazon ECS deployment, you can specify 0 to 2880 minutes" (BlueInstanceTerminationOption). */
const MAX_TERMINATION_WAIT = 2880;
/** waitTimeInMinutes of DeploymentReadyOption: at most 2 days on the console (*unconfirmed* as the API's bound). */
const MAX_READY_WAIT = 2880;

const asObject = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});

export function checkRole(value: unknown): string {
  if (value === undefined || value === '') throw roleRequired();
  if (typeof value !== 'string' || !/^arn:aws[\w-]*:iam::\d{12}:role\/.+/.test(value)) throw invalidRole(String(value));
  return value;
}

export function checkDeploymentStyle(value: unknown): DeploymentGroupRecord['deploymentStyle'] {
  const style = asObject(value);
  if (style.deploymentType !== 'BLUE_GREEN' || style.deploymentOption !== 'WITH_TRAFFIC_CONTROL')
    throw invalidDeploymentStyle(
      'For an Amazon ECS deployment group, deploymentStyle must be deploymentType BLUE_GREEN with deploymentOption WITH_TRAFFIC_CONTROL.',
    );
  return { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' };
}

/** The one ECS service of the group: it must exist, be under CODE_DEPLOY and be in no other deployment group. */
export function checkEcsServices(
  ctx: Context,
  value: unknown,
  self?: DeploymentGroupRecord,
): { entry: { clusterName: string; serviceName: string }; service: ServiceRecord } {
  const list = Array.isArray(value) ? (value as Json[]) : [];
  if (list.length !== 1) throw invalidEcsService('An Amazon ECS deployment group must specify exactly one ECS service (ecsServices).');
  const { clusterName, serviceName } = list[0];
  if (typeof clusterName !== 'string' || typeof serviceName !== 'string' || !clusterName || !serviceName)
    throw invalidEcsService('ecsServices needs both clusterName and serviceName.');
  const cluster = ctx.ecs.clusters.get(clusterName);
  const service = cluster?.status === 'ACTIVE' ? findService(ctx, cluster, serviceName) : undefined;
  if (!service || service.status !== 'ACTIVE')
    throw invalidEcsService(`The ECS service ${serviceName} in cluster ${clusterName} does not exist.`);
  if (service.deploymentController.type !== 'CODE_DEPLOY')
    throw invalidEcsService(`The ECS service ${serviceName} must use the CODE_DEPLOY deployment controller.`);
  for (const group of ctx.codedeploy.deploymentGroups.values()) {
    if (group === self) continue;
    if (group.ecsServices.some((s) => s.clusterName === clusterName && s.serviceName === serviceName))
      throw ecsServiceMappingLimitExceeded();
  }
  return { entry: { clusterName, serviceName }, service };
}

function listenerArns(route: unknown, which: string): string[] | undefined {
  if (route === undefined) return undefined;
  const arns = asObject(route).listenerArns;
  if (!Array.isArray(arns) || arns.length !== 1 || typeof arns[0] !== 'string')
    throw invalidLoadBalancerInfo(`${which}.listenerArns must name exactly one listener.`);
  return arns as string[];
}

/** loadBalancerInfo.targetGroupPairInfoList: one pair, two existing target groups (by name), the service's among them. */
export function checkLoadBalancerInfo(
  ctx: Context,
  value: unknown,
  service: ServiceRecord,
): { targetGroupPairInfoList: TargetGroupPairRecord[] } {
  const pairs = asObject(value).targetGroupPairInfoList;
  if (!Array.isArray(pairs) || pairs.length !== 1)
    throw invalidLoadBalancerInfo(
      'An Amazon ECS deployment group needs loadBalancerInfo.targetGroupPairInfoList with one target group pair.',
    );
  const pair = asObject(pairs[0]);
  const groups = Array.isArray(pair.targetGroups) ? (pair.targetGroups as Json[]) : [];
  const names = groups.map((g) => g.name);
  if (names.length !== 2 || names.some((n) => typeof n !== 'string') || names[0] === names[1])
    throw invalidTargetGroupPair('A target group pair must name two different target groups.');
  const arns = (names as string[]).map((name) => {
    const group = [...ctx.elb.groups.values()].find((g) => g.name === name);
    if (!group) throw invalidTargetGroupPair(`The target group ${name} does not exist.`);
    return group.arn;
  });
  const serviceGroup = service.loadBalancers[0]?.targetGroupArn;
  if (typeof serviceGroup !== 'string' || !arns.includes(serviceGroup))
    throw invalidTargetGroupPair(`The ECS service ${service.name}'s target group must be one of the pair ${names.join(', ')}.`);
  const prod = listenerArns(pair.prodTrafficRoute, 'prodTrafficRoute');
  if (!prod) throw invalidTargetGroupPair('A target group pair needs a prodTrafficRoute.');
  const test = listenerArns(pair.testTrafficRoute, 'testTrafficRoute');
  for (const listener of [...prod, ...(test ?? [])]) {
    const forward = forwardOf(ctx, listener);
    if (!ctx.elb.listeners.byArn.has(listener) || !forward) throw invalidLoadBalancerInfo(`The listener ${listener} does not exist.`);
    if (!forward.some((g) => arns.includes(g.targetGroupArn)))
      throw invalidTargetGroupPair(`The listener ${listener} does not forward to ${names.join(' or ')}.`);
  }
  const record: TargetGroupPairRecord = {
    targetGroups: (names as string[]).map((name) => ({ name })),
    prodTrafficRoute: { listenerArns: prod },
  };
  if (test) record.testTrafficRoute = { listenerArns: test };
  return { targetGroupPairInfoList: [record] };
}

export function checkBlueGreen(value: unknown): BlueGreenRecord {
  const given = asObject(value);
  const ready = asObject(given.deploymentReadyOption);
  const terminate = asObject(given.terminateBlueInstancesOnDeploymentSuccess);
  const actionOnTimeout = ready.actionOnTimeout ?? 'CONTINUE_DEPLOYMENT';
  const waitTimeInMinutes = ready.waitTimeInMinutes ?? 0;
  if (actionOnTimeout !== 'CONTINUE_DEPLOYMENT' && actionOnTimeout !== 'STOP_DEPLOYMENT')
    throw invalidBlueGreenConfiguration('deploymentReadyOption.actionOnTimeout must be CONTINUE_DEPLOYMENT or STOP_DEPLOYMENT.');
  if (!Number.isInteger(waitTimeInMinutes) || (waitTimeInMinutes as number) < 0 || (waitTimeInMinutes as number) > MAX_READY_WAIT)
    throw invalidBlueGreenConfiguration(`deploymentReadyOption.waitTimeInMinutes must be between 0 and ${MAX_READY_WAIT}.`);
  const action = terminate.action ?? 'TERMINATE';
  const terminationWaitTimeInMinutes = terminate.terminationWaitTimeInMinutes ?? 0;
  if (action !== 'TERMINATE')
    throw invalidBlueGreenConfiguration(
      'For an Amazon ECS deployment group, terminateBlueInstancesOnDeploymentSuccess.action must be TERMINATE.',
    );
  if (
    !Number.isInteger(terminationWaitTimeInMinutes) ||
    (terminationWaitTimeInMinutes as number) < 0 ||
    (terminationWaitTimeInMinutes as number) > MAX_TERMINATION_WAIT
  )
    throw invalidBlueGreenConfiguration(
      `terminationWaitTimeInMinutes must be between 0 and ${MAX_TERMINATION_WAIT} for an Amazon ECS deployment.`,
    );
  return {
    deploymentReadyOption: { actionOnTimeout, waitTimeInMinutes: waitTimeInMinutes as number },
    terminateBlueInstancesOnDeploymentSuccess: {
      action: 'TERMINATE',
      terminationWaitTimeInMinutes: terminationWaitTimeInMinutes as number,
    },
  };
}

export function checkAutoRollback(value: unknown): AutoRollbackRecord {
  if (value === undefined) return { enabled: false, events: [] };
  const given = asObject(value);
  const events = Array.isArray(given.events) ? given.events : [];
  if (events.some((e) => !ROLLBACK_EVENTS.includes(String(e))))
    throw invalidAutoRollbackConfig(`autoRollbackConfiguration.events must be among ${ROLLBACK_EVENTS.join(', ')}.`);
  if (given.enabled === true && events.length === 0)
    throw invalidAutoRollbackConfig('autoRollbackConfiguration must name at least one event when it is enabled.');
  return { enabled: given.enabled === true, events: events as string[] };
}

import type { Service, TaskSet } from '@aws-sdk/client-ecs';
import { sameRevision, shortTaskDefinition } from '../common/identifiers';
import { isCodeDeployDeploymentId, taskSetLabelled, terminationWaitBegun, type CodeDeployDeploymentRead } from '../codedeploy';
import type { SignalReading } from './signals';

/**
 * A service under the CODE_DEPLOY controller runs task sets, not deployments: DescribeServices lists its taskSets
 * and leaves deployments empty (aws/copilot-cli#1061), so "one deployment, COMPLETED" cannot be what steady means.
 * ECS's TaskSet statuses (API reference): PRIMARY serves production traffic, ACTIVE does not, DRAINING is being
 * stopped, its targets deregistered.
 */
export function runsTaskSets(service: Service): boolean {
  return service.deploymentController?.type === 'CODE_DEPLOY';
}

/**
 * The task set the check judges: with a CodeDeploy deployment gated (continue-deployment), its replacement, the task
 * set it created (externalId is the deployment id, API reference); otherwise the PRIMARY one.
 */
export function judgedTaskSet(service: Service, deploymentId?: string): TaskSet | undefined {
  const taskSets = service.taskSets ?? [];
  return deploymentId ? taskSets.find((t) => t.externalId === deploymentId) : taskSets.find((t) => t.status === 'PRIMARY');
}

/** The task sets beside the judged one that still run: DRAINING ones are leaving, their targets deregistered. */
export function otherTaskSets(service: Service, judged: TaskSet | undefined): TaskSet[] {
  return (service.taskSets ?? []).filter((t) => t !== judged && t.status !== 'DRAINING');
}

/**
 * The CodeDeploy deployment that can say where production traffic goes when two task sets run: the one that created
 * the newest of them (its externalId; the replacement, PRIMARY or not), or undefined when no task set names one.
 */
export function inFlightDeploymentId(taskSets: TaskSet[]): string | undefined {
  const newestFirst = [...taskSets].sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
  return newestFirst.map((t) => t.externalId).find((id): id is string => id !== undefined && isCodeDeployDeploymentId(id));
}

/** The target groups of the judged task set: a CODE_DEPLOY service's own loadBalancers name only its first one. */
export function taskSetTargetGroups(service: Service, judged: TaskSet | undefined): string[] {
  const own = (judged?.loadBalancers ?? []).map((lb) => lb.targetGroupArn).filter((arn): arn is string => !!arn);
  if (own.length) return [...new Set(own)];
  return [...new Set((service.loadBalancers ?? []).map((lb) => lb.targetGroupArn).filter((arn): arn is string => !!arn))];
}

export interface TaskSetSteadinessOptions {
  /** The revision the judged task set must run. */
  taskDefinition?: string;
  /** continue-deployment's CodeDeploy deployment: its replacement task set is judged, before production moves to it. */
  deploymentId?: string;
  /** With another task set running beside the PRIMARY: the CodeDeploy deployment of the newest, for its traffic weights. */
  inFlight?: CodeDeployDeploymentRead;
}

/**
 * Steady, for a CODE_DEPLOY service: the judged task set (see judgedTaskSet) runs the expected revision at its
 * computed desired count, none pending, STEADY_STATE (ECS: running equals computedDesiredCount, none pending, every
 * task healthy), and, unless a deployment's replacement is judged before its reroute, no other task set takes
 * production traffic. During CodeDeploy's termination wait the original task set is kept, ACTIVE, with no production
 * traffic: that is the way back, not an unsteady service, and the reading says so.
 */
export function taskSetSteadiness(service: Service, options: TaskSetSteadinessOptions = {}): SignalReading {
  const source = `service ${service.serviceName}`;
  const { taskDefinition, deploymentId } = options;
  const judged = judgedTaskSet(service, deploymentId);
  const role = deploymentId ? `replacement task set of CodeDeploy deployment ${deploymentId}` : 'PRIMARY task set';
  if (!judged) {
    const listed = (service.taskSets ?? []).map(describeTaskSet).join(', ') || 'none';
    const why = deploymentId
      ? 'the deployment has not created it yet, or has removed it (stopped or rolled back)'
      : 'no task set serves production traffic';
    return { source, passed: false, detail: `no ${role} (task sets: ${listed}): ${why}` };
  }
  const revision = shortTaskDefinition(judged.taskDefinition);
  if (taskDefinition !== undefined && !sameRevision(judged.taskDefinition, taskDefinition)) {
    return {
      source,
      passed: false,
      detail: `the ${role} ${judged.id} runs ${revision}, not ${shortTaskDefinition(taskDefinition)}: the deployment of ${shortTaskDefinition(taskDefinition)} was rolled back or stopped, or production has not moved to it yet`,
    };
  }
  const unsteady = whyNotSteady(service, judged);
  if (unsteady) return { source, passed: false, detail: `the ${role} ${judged.id} (${revision}): ${unsteady}` };
  const counts = `${judged.runningCount} of ${judged.computedDesiredCount} tasks of ${revision} running, STEADY_STATE`;
  if (deploymentId) return { source, passed: true, detail: `the ${role} is steady: ${counts}` };
  const others = otherTaskSets(service, judged);
  if (others.length === 0)
    return { source, passed: true, detail: `steady on ${revision}: ${counts} in the PRIMARY task set, the only one` };
  return besideOthers(source, judged, others, counts, options.inFlight);
}

/** The PRIMARY is steady, and other task sets still run: steady only when none of them takes production traffic. */
function besideOthers(
  source: string,
  primary: TaskSet,
  others: TaskSet[],
  counts: string,
  inFlight?: CodeDeployDeploymentRead,
): SignalReading {
  const listed = others.map(describeTaskSet).join(', ');
  if (!inFlight) {
    return {
      source,
      passed: false,
      detail: `${counts} in the PRIMARY task set, but ${listed} runs beside it and no CodeDeploy deployment names it: a deployment is in flight or was left half done`,
    };
  }
  const id = inFlight.deploymentId;
  const status = inFlight.deployment.status ?? 'in an unknown status';
  const green = taskSetLabelled(inFlight.target, 'Green');
  const blue = taskSetLabelled(inFlight.target, 'Blue');
  const weights = `production traffic ${green?.trafficWeight ?? '?'}% to the replacement (Green), ${blue?.trafficWeight ?? '?'}% to the original (Blue)`;
  const primaryIsGreen = primary.externalId === id;
  const rerouted = primaryIsGreen && green?.trafficWeight === 100 && (blue?.trafficWeight ?? 0) === 0;
  if (rerouted && (terminationWaitBegun(inFlight) || status === 'Succeeded')) {
    return {
      source,
      passed: true,
      detail: `steady on ${shortTaskDefinition(primary.taskDefinition)}: ${counts} in the PRIMARY task set, which takes all production traffic; ${listed} is kept without production traffic through CodeDeploy deployment ${id}'s termination wait`,
    };
  }
  return {
    source,
    passed: false,
    detail: `CodeDeploy deployment ${id} is ${status} (${weights}); ${counts} in the PRIMARY task set, ${listed} beside it: steady once production traffic has moved`,
  };
}

function whyNotSteady(service: Service, taskSet: TaskSet): string | undefined {
  if (taskSet.status === 'DRAINING') return 'DRAINING: its tasks are being stopped';
  const desired = taskSet.computedDesiredCount ?? 0;
  const running = taskSet.runningCount ?? 0;
  const pending = taskSet.pendingCount ?? 0;
  // A task set scaled to nothing is one still starting, unless the service asks for no task at all.
  if (desired === 0 && (service.desiredCount ?? 0) > 0) return `no task desired yet (scale ${taskSet.scale?.value ?? '?'}%)`;
  if (running !== desired || pending > 0) return `${running} of ${desired} tasks running${pending ? `, ${pending} pending` : ''}`;
  if (taskSet.stabilityStatus !== undefined && taskSet.stabilityStatus !== 'STEADY_STATE')
    return `${taskSet.stabilityStatus}, not STEADY_STATE`;
  return undefined;
}

function describeTaskSet(taskSet: TaskSet): string {
  return `task set ${taskSet.id ?? '?'} (${shortTaskDefinition(taskSet.taskDefinition)}, ${taskSet.status ?? '?'})`;
}

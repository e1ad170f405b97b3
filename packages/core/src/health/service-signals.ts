import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  type ECSClient,
  type Service,
  type ServiceDeployment,
  type ServiceRevision,
  type TaskSet,
} from '@aws-sdk/client-ecs';
import {
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client,
  type TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { sendingOnce } from '../common/aws';
import { sameRevision, shortTaskDefinition } from '../common/identifiers';
import { describeService, primaryDeployment } from '../ecs/service';
import { withRequiredPermission } from './required-permission';
import { readOrUnread, type SignalReader, type SignalReading } from './signals';
import { revisionSteadiness, shiftsTraffic, targetGroupsOfRevision } from './traffic-shifting-steadiness';
import { readCodeDeployDeployment, type CodeDeployDeploymentRead } from '../codedeploy';
import {
  inFlightDeploymentId,
  judgedTaskSet,
  otherTaskSets,
  runsTaskSets,
  taskSetSteadiness,
  taskSetTargetGroups,
} from './task-set-steadiness';

/** What a refused read of a deployment costs verify-health, for the error that names the grant. */
const STEADINESS_PURPOSE = "reads a blue/green, linear, canary or CodeDeploy service's deployment with it to judge its steadiness";

/**
 * Steady as ECS means it: one deployment, done rolling out, and as many tasks running as desired.
 * (ECS developer guide, "Viewing service deployments": the service is stable when the PRIMARY deployment is
 * the only one and runningCount equals desiredCount.)
 *
 * With `taskDefinition`, steady on that revision: a circuit-breaker (or alarm) rollback returns the service
 * to "the last deployment that completed successfully" (API reference, DeploymentCircuitBreaker.rollback),
 * which then is steady by every count but is not the release being verified.
 */
export function serviceSteadiness(service: Service, taskDefinition?: string): SignalReading {
  const source = `service ${service.serviceName}`;
  const unsteady = whyNotSteady(service);
  const counts = `${service.runningCount} of ${service.desiredCount} tasks running, one deployment, COMPLETED`;
  if (taskDefinition === undefined)
    return unsteady ? { source, passed: false, detail: unsteady } : { source, passed: true, detail: `steady: ${counts}` };
  const wanted = shortTaskDefinition(taskDefinition);
  if (unsteady) {
    const heading = primaryDeployment(service)?.taskDefinition;
    const elsewhere =
      heading !== undefined && !sameRevision(heading, taskDefinition)
        ? `; the service is deploying ${shortTaskDefinition(heading)}, not ${wanted}`
        : '';
    return { source, passed: false, detail: `${unsteady}${elsewhere}` };
  }
  const running = service.deployments?.[0]?.taskDefinition;
  if (sameRevision(running, taskDefinition)) return { source, passed: true, detail: `steady on ${wanted}: ${counts}` };
  return {
    source,
    passed: false,
    detail: `steady, but on ${shortTaskDefinition(running)} instead of ${wanted}: the deployment of ${wanted} was rolled back or replaced`,
  };
}

/** What keeps the service from being steady, or undefined when it is. */
function whyNotSteady(service: Service): string | undefined {
  const deployments = service.deployments ?? [];
  if (deployments.length !== 1) {
    const states = deployments.map((d) => `${d.status}${d.rolloutState ? ` ${d.rolloutState}` : ''}`).join(', ');
    return `${deployments.length} deployments at once (${states}): a rollout is still in progress`;
  }
  const [deployment] = deployments;
  if (deployment.rolloutState && deployment.rolloutState !== 'COMPLETED') {
    return `deployment ${deployment.id} is ${deployment.rolloutState}${deployment.rolloutStateReason ? `: ${deployment.rolloutStateReason}` : ''}`;
  }
  if (service.runningCount !== service.desiredCount)
    return `${service.runningCount ?? 0} of ${service.desiredCount ?? 0} desired tasks running`;
  return undefined;
}

export function targetGroupArns(service: Service): string[] {
  return [...new Set((service.loadBalancers ?? []).map((lb) => lb.targetGroupArn).filter((arn): arn is string => Boolean(arn)))];
}

/** `arn:aws:elasticloadbalancing:…:targetgroup/web/0123abcd` → `web`. */
export function targetGroupName(arn: string): string {
  return /:targetgroup\/([^/]+)/.exec(arn)?.[1] ?? arn;
}

/**
 * Every registered target must be healthy. Draining targets are leaving the group (the old tasks of a
 * finished deployment) and no longer receive new requests, so they are left out rather than failing the check.
 */
export function targetGroupHealth(arn: string, descriptions: TargetHealthDescription[]): SignalReading {
  const source = `target group ${targetGroupName(arn)}`;
  const serving = descriptions.filter((d) => d.TargetHealth?.State !== 'draining');
  const unhealthy = serving.filter((d) => d.TargetHealth?.State !== 'healthy');
  if (serving.length === 0) return { source, passed: false, detail: 'no registered targets' };
  if (unhealthy.length === 0) return { source, passed: true, detail: `${serving.length} of ${serving.length} targets healthy` };
  const listed = unhealthy.map(describeTarget).join('; ');
  return { source, passed: false, detail: `${unhealthy.length} of ${serving.length} targets not healthy: ${listed}` };
}

function describeTarget(description: TargetHealthDescription): string {
  const target = description.Target;
  const where = `${target?.Id ?? '?'}${target?.Port ? `:${target.Port}` : ''}`;
  const health = description.TargetHealth;
  const reason = [health?.Reason, health?.Description].filter(Boolean).join(': ');
  return `${where} ${health?.State ?? 'unknown'}${reason ? ` (${reason})` : ''}`;
}

export interface ServiceSignalOptions {
  cluster: string;
  service: string;
  region: string;
  ecs: ECSClient;
  elb: ElasticLoadBalancingV2Client;
  /** The revision (family:revision or ARN) the service must be steady on; any revision when undefined. */
  taskDefinition?: string;
  /**
   * For a blue/green, linear or canary service: the service deployment to judge (continue-deployment). Default: the
   * service's current one (DescribeServices' currentServiceDeployment).
   */
  serviceDeploymentArn?: string;
  /**
   * For a CODE_DEPLOY service: the CodeDeploy deployment whose replacement task set is judged (continue-deployment).
   * Default: the PRIMARY task set, with no other taking production traffic.
   */
  codeDeployDeploymentId?: string;
  /** For a CODE_DEPLOY service running two task sets: reads the deployment in flight, for its traffic weights. */
  codedeploy?: CodeDeployClient;
}

/**
 * Reads the service and the health of every target of its target groups, once a round, each without the SDK's
 * retries. A read that is throttled or fails transiently leaves its source unread this round (readOrUnread): the
 * target groups of the last read too when the service itself could not be read, since it names them.
 *
 * A rolling service is steady on one deployment and judged on every target group it names. A blue/green, linear
 * or canary one is judged on its service deployment (DescribeServiceDeployments): the target revision's tasks all
 * running, and the target group that serves that revision (DescribeServiceRevisions) all healthy, at every stage.
 */
export function serviceSignals(options: ServiceSignalOptions): SignalReader {
  const ecs = sendingOnce(options.ecs);
  const elb = sendingOnce(options.elb);
  const revisions = new RevisionCache(ecs);
  // The groups of the last service read: when the service cannot be read, they are unread too, not left out.
  let groupArns: string[] = [];
  return async () => {
    const readings = await readOrUnread(`service ${options.service}`, async () => {
      const service = await describeService(ecs, options.cluster, options.service, options.region);
      if (runsTaskSets(service)) {
        const judged = judgedTaskSet(service, options.codeDeployDeploymentId);
        groupArns = taskSetTargetGroups(service, judged);
        const inFlight = options.codeDeployDeploymentId ? undefined : await inFlightDeployment(options, service, judged);
        const groups = await Promise.all(groupArns.map((arn) => targetGroupReading(elb, arn)));
        const steadiness = taskSetSteadiness(service, {
          taskDefinition: options.taskDefinition,
          deploymentId: options.codeDeployDeploymentId,
          inFlight,
        });
        return [steadiness, ...groups.flat()];
      }
      const shifting = shiftsTraffic(service)
        ? await trafficShiftingState(ecs, service, revisions, options.serviceDeploymentArn)
        : undefined;
      groupArns = shifting ? targetGroupsOfRevision(service, shifting.deployment, shifting.revision) : targetGroupArns(service);
      const groups = await Promise.all(groupArns.map((arn) => targetGroupReading(elb, arn)));
      // A finished deployment (after clean-up or a rollback) leaves one deployment: steady as a rolling service is.
      const steadiness =
        shifting && !isFinished(shifting.deployment)
          ? revisionSteadiness(service, shifting.deployment, shifting.revision, options.taskDefinition)
          : serviceSteadiness(service, options.taskDefinition);
      return [steadiness, ...groups.flat()];
    });
    if (readings.length !== 1 || !readings[0].unread) return readings;
    return [...readings, ...groupArns.map((arn) => ({ ...readings[0], source: `target group ${targetGroupName(arn)}` }))];
  };
}

function targetGroupReading(elb: ElasticLoadBalancingV2Client, arn: string): Promise<SignalReading[]> {
  return readOrUnread(`target group ${targetGroupName(arn)}`, async () => {
    const answer = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
    return [targetGroupHealth(arn, answer.TargetHealthDescriptions ?? [])];
  });
}

/**
 * With task sets beside the PRIMARY one, the CodeDeploy deployment that made the newest of all says where production
 * traffic goes (GetDeploymentTarget's trafficWeight); ECS's task sets do not. Undefined when none names a deployment.
 */
async function inFlightDeployment(
  options: ServiceSignalOptions,
  service: Service,
  judged: TaskSet | undefined,
): Promise<CodeDeployDeploymentRead | undefined> {
  const others = otherTaskSets(service, judged);
  if (others.length === 0) return undefined;
  const deploymentId = inFlightDeploymentId(judged ? [judged, ...others] : others);
  if (!deploymentId || !options.codedeploy) return undefined;
  const codedeploy = options.codedeploy;
  return withRequiredPermission('codedeploy:GetDeployment and codedeploy:GetDeploymentTarget', STEADINESS_PURPOSE, () =>
    readCodeDeployDeployment(codedeploy, { deploymentId, cluster: options.cluster, service: options.service }, { sdkRetries: false }),
  );
}

/**
 * The service deployment a traffic-shifting service is judged on, with its target revision; undefined when ECS has
 * none to show (a service older than the service deployments API), and the service is then judged as a rolling one.
 */
async function trafficShiftingState(
  ecs: ECSClient,
  service: Service,
  revisions: RevisionCache,
  serviceDeploymentArn: string | undefined,
): Promise<{ deployment: ServiceDeployment; revision?: ServiceRevision } | undefined> {
  const arn = serviceDeploymentArn ?? service.currentServiceDeployment;
  if (!arn) return undefined;
  const answer = await withRequiredPermission('ecs:DescribeServiceDeployments', STEADINESS_PURPOSE, () =>
    ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] })),
  );
  const deployment = answer.serviceDeployments?.find((sd) => sd.serviceDeploymentArn === arn);
  if (!deployment) return undefined;
  return { deployment, revision: await revisions.get(servingRevisionArn(deployment)) };
}

const FINISHED = new Set(['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED']);

function isFinished(deployment: ServiceDeployment): boolean {
  return FINISHED.has(deployment.status ?? '');
}

/** The revision whose tasks serve once the deployment is over: the one rolled back to after a rollback, else its target. */
function servingRevisionArn(deployment: ServiceDeployment): string | undefined {
  if (deployment.status === 'ROLLBACK_SUCCESSFUL')
    return deployment.rollback?.serviceRevisionArn ?? deployment.sourceServiceRevisions?.[0]?.arn ?? deployment.targetServiceRevision?.arn;
  return deployment.targetServiceRevision?.arn;
}

/** A service revision does not change once made: each is read once. */
class RevisionCache {
  private readonly known = new Map<string, ServiceRevision>();

  constructor(private readonly ecs: ECSClient) {}

  async get(arn: string | undefined): Promise<ServiceRevision | undefined> {
    if (!arn) return undefined;
    const cached = this.known.get(arn);
    if (cached) return cached;
    const answer = await withRequiredPermission('ecs:DescribeServiceRevisions', STEADINESS_PURPOSE, () =>
      this.ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [arn] })),
    );
    const revision = answer.serviceRevisions?.find((r) => r.serviceRevisionArn === arn);
    if (revision) this.known.set(arn, revision);
    return revision;
  }
}

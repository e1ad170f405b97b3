import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { Deployment, ECSClient, Service, UpdateServiceCommandInput } from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { CancellationSignal } from '../common/cancellation';
import type { Logger } from '../common/logger';
import type { Clock } from '../common/poll';
import type { DeploymentHistory } from '../ecs/deployment-history';
import type { WaitUntil, WatchOutcome } from '../ecs/watch-loop';
import type { ServingRevision } from '../ecs/serving-revision';
import type { ServiceReads } from '../ecs/service-reads';
import type { ServiceDeploymentReads } from '../ecs/service-deployment-reads';
import type { PreflightCheck } from '../preflight/check';
import type { CodeDeployInputs } from './codedeploy/settings';

/** What a mechanism talks to, and how it waits. */
export interface MechanismContext {
  ecs: ECSClient;
  /** For services under the CODE_DEPLOY deployment controller; the other mechanisms never call it. */
  codedeploy?: CodeDeployClient;
  log: Logger;
  clock: Clock;
  /** Aborted when the workflow is cancelled: a watch ends at once with WorkflowCancelled. */
  signal?: CancellationSignal;
  /** The watch's DescribeServices, shared when several services are watched in one step (BatchedServiceReads). */
  serviceReads?: ServiceReads;
  /** A service deployment's watch's DescribeServiceDeployments, shared likewise (BatchedServiceDeploymentReads). */
  serviceDeploymentReads?: ServiceDeploymentReads;
}

/** The context a deploy or a rollback hands its mechanism: its clients, and the ports the watch reads and reports through. */
export function mechanismContext(
  clients: { ecs: ECSClient; codedeploy?: CodeDeployClient },
  ports: Omit<MechanismContext, 'ecs' | 'codedeploy'>,
): MechanismContext {
  return {
    ecs: clients.ecs,
    codedeploy: clients.codedeploy,
    log: ports.log,
    clock: ports.clock,
    signal: ports.signal,
    serviceReads: ports.serviceReads,
    serviceDeploymentReads: ports.serviceDeploymentReads,
  };
}

/** Point the service at a revision. */
export interface StartRequest {
  cluster: string;
  service: string;
  taskDefinitionArn: string;
  desiredCount?: number;
  /** Service settings to change in the same UpdateService (enableExecuteCommand, propagateTags, ...); none starts a deployment. */
  settings?: Partial<UpdateServiceCommandInput>;
  forceNewDeployment: boolean;
  /** Whether the deployment will be watched: only then are the service's stopped tasks before it listed. */
  watch: boolean;
  /** What the mechanism's pre-flight checks found (their values), for a start that needs them: CodeDeploy's deployment group. */
  found?: readonly unknown[];
}

/** The deployment a watch follows: one this step started, or one it found under way. */
export interface DeploymentToWatch {
  /** The ECS deployment (`ecs-svc/...`); for a CODE_DEPLOY service, the CodeDeploy deployment (`d-...`). */
  deploymentId: string;
  /** The CodeDeploy deployment, for a CODE_DEPLOY service. */
  codeDeployDeploymentId?: string;
  /** When it was started: events before it belong to earlier deploys. */
  startedAt: number;
  /** The service as the start saw it: its deployment configuration decides who calls a failure. */
  service: Service;
  /** IDs of the service events that belong to earlier deploys. */
  knownEventIds: string[];
  /** The service's stopped tasks before the deployment existed: none is its, so the watcher skips them. */
  stoppedBefore?: string[];
  /** The service deployment, when known already (a mechanism that follows service deployments finds it otherwise). */
  serviceDeploymentArn?: string;
  /** The call that started it, for the log (default UpdateService). */
  startedWith?: string;
  /** `rollback`: the deployment is being rolled back on purpose, and its rollback succeeding is the success. Default `release`. */
  expect?: 'release' | 'rollback';
}

/** The deployment this step watches: the one its UpdateService started, or one of the same revision already under way. */
export interface StartedDeployment extends DeploymentToWatch {
  stoppedBefore: string[];
  /** Set when this step did not start the deployment: it was already rolling out this revision. */
  startedBefore?: Deployment;
}

export interface WatchSettings {
  cluster: string;
  service: string;
  timeoutMs: number;
  /** Without a circuit breaker, this many stopped tasks of the new revision fail the deployment. */
  failedTasksThreshold: number;
  /** Where the watch may end before the deployment does; default `complete`. Only values in the mechanism's waitTargets are given. */
  waitUntil?: WaitUntil;
}

/** What a mechanism's pre-flight checks may call, and for which step: a deploy needs more than a rollback's fallbacks. */
export interface MechanismPreflightContext {
  ecs: ECSClient;
  codedeploy?: CodeDeployClient;
  /** For the checks that the resources a blue/green deployment moves traffic with exist; left out without it. */
  elb?: ElasticLoadBalancingV2Client;
  cluster: string;
  purpose: 'deploy' | 'roll-back';
  /**
   * For a deploy: its CodeDeploy inputs, where it waits until, whether it follows a deployment that exists (then
   * nothing is created), and the CodeDeploy deployment it follows (codedeploy-deployment-id).
   */
  deploy?: { codeDeploy?: CodeDeployInputs; waitUntil?: WaitUntil; following?: boolean; followDeploymentId?: string };
  /** For a rollback: its CodeDeploy inputs. */
  rollBack?: { codeDeploy?: CodeDeployGroupInputs };
}

/** Where a service stands when it already runs the revision a deploy would register (and force-new-deployment is false). */
export type UnchangedStanding =
  /** Nothing to do: the step succeeds at once. */
  | { state: 'settled'; message: string }
  /** A deployment of the revision is under way (started before this step): the step watches it. */
  | { state: 'in-progress'; message: string; started: StartedDeployment }
  /** It failed before this step and nothing will bring it further: the step fails with the message. */
  | { state: 'failed'; message: string; deploymentId?: string };

/**
 * How long a deployment of this kind waits by design beyond the service's bake time, as its pre-flight checks found it
 * (a check's value with a `waitMs`: CodeDeploy's traffic shifting, ready and termination waits), in ms.
 */
export function waitByDesignMs(found: readonly unknown[]): number {
  return found.reduce<number>((sum, value) => {
    const waitMs = (value as { waitMs?: unknown } | undefined)?.waitMs;
    return sum + (typeof waitMs === 'number' ? waitMs : 0);
  }, 0);
}

/** Go back to a revision, the fastest correct way. */
export interface RollBackRequest {
  region: string;
  cluster: string;
  service: string;
  /** Whether the rollback will be watched: only then are the service's stopped tasks before it listed. */
  wait: boolean;
  timeoutMs: number;
  targetArn: string;
  history: DeploymentHistory;
  /** A CODE_DEPLOY service's application and deployment group, as the inputs name them (default: the console's names). */
  codeDeploy?: CodeDeployGroupInputs;
  /** What the mechanism's pre-flight checks found (their values): CodeDeploy's deployment group. */
  found?: readonly unknown[];
}

/** The codedeploy-application and codedeploy-deployment-group inputs; absent ones take the console's conventional names. */
export type CodeDeployGroupInputs = Pick<CodeDeployInputs, 'application' | 'deploymentGroup'>;

export interface StartedRollback {
  /** The call that started it: StopServiceDeployment, UpdateService, or CodeDeploy's StopDeployment or CreateDeployment. */
  mechanism: string;
  /** What was called, in words, for the log and the summary. */
  description: string;
  /** The ECS deployment (`ecs-svc/...`) that brings the target back: the one to watch. */
  deploymentId: string;
  startedAt: number;
  service: Service;
  /** The service's stopped tasks before the rollback deployment existed: none is its, so the watcher skips them. */
  stoppedBefore: string[];
  /** The service deployment to follow, when the mechanism follows service deployments. */
  serviceDeploymentArn?: string;
  /** `rollback` when the watch follows a deployment rolled back on purpose: its ROLLBACK_SUCCESSFUL is the success. */
  expect?: 'release' | 'rollback';
  /** Set when nothing is left to watch: the service already serves the target alone (a stop before anything moved). */
  settled?: boolean;
  /** How long the rollback's new deployment waits by design (traffic shift, termination wait), when the mechanism knows better than bakeTimeMs. */
  bakeMs?: number;
}

/**
 * One kind of deployment (rolling update today; ECS-native blue/green, linear and canary, CodeDeploy later): how it
 * starts, how it is watched to a verdict, and how it goes back. Chosen per service by mechanismFor.
 */
export interface DeploymentMechanism {
  /** The kind, in words, e.g. `rolling update`. */
  readonly kind: string;
  /** The wait-until values this kind can stop at (a rolling update has no stage: `bake` is its end, `paused` does not exist). */
  readonly waitTargets: readonly WaitUntil[];
  /**
   * What wait-until paused stops at: a PAUSE lifecycle hook of the service (ECS-native), or CodeDeploy's Ready state
   * (its pre-flight check refuses paused when the deployment group does not wait there).
   */
  readonly pausesAt?: 'pause-hook' | 'ready-wait';
  /** How long the service bakes the new revision within a deployment (bake, step and canary bakes), in ms; 0 for none. */
  bakeTimeMs(service: Service): number;
  /**
   * The checks this kind needs before its first change, beyond what every deploy checks; the use case runs them
   * in its pre-flight table once the service is known to be supported (see supportedServiceCheck).
   */
  preflightChecks(service: Service, context: MechanismPreflightContext): PreflightCheck<unknown>[];
  /**
   * Checks that need what this kind's own checks found (`found`, their values: CodeDeploy's deployment group, read
   * once), run in the stage after them, only when none of them failed.
   */
  preflightChecksAfter?(found: readonly unknown[], context: MechanismPreflightContext): PreflightCheck<unknown>[];
  /** Points the service at the revision and returns the deployment to watch. */
  start(request: StartRequest, context: MechanismContext): Promise<StartedDeployment>;
  /** Where the service stands when it already runs the revision: settled, a deployment of it to watch, or failed. */
  judgeUnchanged(service: Service, context: MechanismContext, found?: readonly unknown[]): Promise<UnchangedStanding>;
  /** The revision serving when the step starts: previous-task-definition-arn, where a rollback returns to. */
  servingRevision(service: Service, context: MechanismContext & { cluster: string }, found?: readonly unknown[]): Promise<ServingRevision>;
  /** Follows the deployment to a verdict. */
  watch(deployment: DeploymentToWatch, settings: WatchSettings, context: MechanismContext): Promise<WatchOutcome>;
  /** The fastest correct way back to a revision; returns the deployment that brings it back. */
  rollBack(request: RollBackRequest, context: MechanismContext): Promise<StartedRollback>;
  /**
   * The release and the revisions that worked, when ECS's service deployments do not hold them (a CODE_DEPLOY
   * service's are CodeDeploy's); default readDeploymentHistory.
   */
  readHistory?(
    service: Service,
    request: Pick<RollBackRequest, 'cluster' | 'service' | 'region' | 'codeDeploy' | 'found'>,
    context: MechanismContext,
  ): Promise<DeploymentHistory>;
}

import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import type { ClientFactory } from '../../common/aws';
import type { Logger } from '../../common/logger';
import type { Clock } from '../../common/poll';
import type { LoadedDefinition } from '../../task-definition/load';
import {
  balancerWords,
  compareWithCheck,
  desiredCountAutoscalingCheck,
  driftReportMarkdown,
  type DriftReport,
  logDriftReport,
  fileFieldsCheck,
  fileRendersCheck,
  healthCheckGraceCheck,
  imagesExistCheck,
  loadBalancedContainerCheck,
  logGroupsExistCheck,
  revisionActiveCheck,
  runPreflight,
  secretsExistCheck,
  rolesTrustEcsCheck,
  executionRoleReadsSecretsCheck,
  scheduledTasksCheck,
  serviceSettingsCheck,
  type DependentChecks,
  type PreflightCheck,
} from '../../preflight';
import { describeTaskDefinition, type DescribedDefinition } from '../../task-definition/register';
import { SERVICE_SETTING_INPUTS } from '../../ecs/service-settings';
import { renderTaskDefinition, stepSettings } from '../../task-definition/render';
import { stripTaskDefinition, type RegistrableDefinition } from '../../task-definition/strip';
import { waitByDesignMs } from '../../deployment/mechanism';
import { liveAsBase, liveTaskDefinitionArn } from './base-definition';
import { mechanismChecks, mechanismFollowUpChecks, supportedServiceCheck } from '../../deployment/supported-service';
import { mechanismFor } from '../../deployment/mechanism-for';
import type { ServingRevision } from '../../ecs/serving-revision';
import { familyOfTaskDefinition, scheduledTaskClients } from '../../scheduled-tasks';
import type { DeployRequest } from './request';
import { waitMatters, waitPossibleCheck, watchPlan, type WatchPlan } from './wait-check';

export interface DeployPreflight {
  /** The task-definition file as read, when one was given. */
  fromFile?: LoadedDefinition;
  /** The registered revision task-definition named, described, when one was given: deployed as it is. */
  fromRevision?: DescribedDefinition;
  /** The service, described once, and supported by a mechanism. */
  service: Service;
  /** The table, for the job summary the deploy writes at its end. */
  markdown: string;
  /** Where the watch ends and its timeout (the bake time added to the default). */
  plan: WatchPlan;
  /** What the mechanism's own checks found (e.g. CodeDeploy's deployment group), for its start. */
  found: unknown[];
}

/** The service settings deploy-ecs sets from its inputs: a file that carries one is sent to the input. */
const SETTING_INPUTS = { desiredCount: 'desired-count', ...SERVICE_SETTING_INPUTS } as const;

/**
 * What the deploy changes, checked before anything is registered or updated, in one table: the file first, on
 * its own, then its fields, so a broken file, a container name or a key RegisterTaskDefinition does not take
 * changes nothing and asks nothing of AWS; then the service and its deployment mechanism; then the checks that
 * mechanism needs; then what the step waits for, which may depend on what they found (a CodeDeploy group's waits).
 * `request.preflight` weakens or leaves out the checks that neither protect nor are needed. `described` is the
 * service as the caller read it already (see supportedControllerCheck).
 */
export async function deployPreflight(
  clients: { ecs: ECSClient; codedeploy?: CodeDeployClient },
  request: DeployRequest,
  ports: { log: Logger; clock: Clock; writeSummary(markdown: string): Promise<void> },
  aws?: ClientFactory,
  described?: Service,
): Promise<DeployPreflight> {
  const { ecs, codedeploy } = clients;
  const file = request.taskDefinitionFile ? fileRendersCheck({ path: request.taskDefinitionFile, changes: request }) : undefined;
  // An existing revision (Terraform's, an earlier job's): it must exist and be ACTIVE, as UpdateService requires.
  const revision = request.taskDefinitionRevision
    ? revisionActiveCheck({
        ecs,
        reference: request.taskDefinitionRevision,
        region: request.region,
        advice: {
          missing:
            'Give a revision registered in this account and region (family, family:revision or its ARN), or a task definition file. Nothing was changed.',
          inactive:
            'Register it again (it gets a new revision number) and deploy that, or give a task definition file. Nothing was changed.',
        },
      })
    : undefined;
  /** The revision the step deploys as it is, once described. */
  const registered = (valueOf: <T>(check: PreflightCheck<T>) => T | undefined): RegistrableDefinition | undefined => {
    const revisionRead = revision && valueOf(revision);
    return revisionRead ? stripTaskDefinition(revisionRead.definition) : undefined;
  };
  const supported = supportedServiceCheck(ecs, request, described);
  const fields: DependentChecks = (valueOf) => {
    const loaded = file && valueOf(file);
    return file && loaded ? [fileFieldsCheck({ path: request.taskDefinitionFile as string, loaded, settingInputs: SETTING_INPUTS })] : [];
  };
  const following = Boolean(request.codeDeployDeploymentId || request.serviceDeploymentArn);
  const deploy = {
    codeDeploy: request.codeDeploy,
    waitUntil: request.waitUntil,
    following,
    ...(request.codeDeployDeploymentId ? { followDeploymentId: request.codeDeployDeploymentId } : {}),
  };
  // The load balancer reads of a blue/green service's checks, in the step's region; left out, as the images' are, without clients.
  const elb = aws ? aws(ElasticLoadBalancingV2Client, request.region) : undefined;
  const mechanismContext = { ecs, codedeploy, elb, cluster: request.cluster, purpose: 'deploy' as const, deploy };
  const ofMechanism = mechanismChecks(supported, mechanismContext);
  let mechanismBuilt: PreflightCheck<unknown>[] = [];
  const mechanismStage: DependentChecks = (valueOf) => (mechanismBuilt = ofMechanism(valueOf));
  const found = (valueOf: <T>(check: PreflightCheck<T>) => T | undefined) => mechanismBuilt.map((check) => valueOf(check));
  // What the mechanism checks next from what its checks found (a CodeDeploy group's target groups and listeners).
  const afterMechanism = mechanismFollowUpChecks(supported, mechanismContext, found);
  // What the new revision pulls, reads its secrets from (with its execution role) and writes to, and whether ECS can assume its roles: with a file, checked beside the service's look-up; without one, the
  // live revision is its base, read once the service is known.
  const revisionChecks = (definition: RegistrableDefinition): PreflightCheck<unknown>[] =>
    aws && !following
      ? [
          imagesExistCheck({ definition, aws, input: imagesInput(request) }),
          logGroupsExistCheck({ definition, aws, region: request.region }),
          secretsExistCheck({ definition, aws, region: request.region }),
          rolesTrustEcsCheck({ definition, aws, region: request.region }),
          executionRoleReadsSecretsCheck({ definition, aws, region: request.region }),
        ]
      : [];
  // Whether the service's grace period covers the start-up the new revision declares: it needs both, so it runs once
  // the service is known, beside the file's checks or after the live revision is read and rendered. Only a service
  // behind a load balancer or VPC Lattice can have tasks stopped while they start (see healthCheckGraceCheck).
  const graceChecks = (service: Service | undefined, definition: RegistrableDefinition | undefined): PreflightCheck<unknown>[] =>
    service && definition && !following && balancerWords(service)
      ? [
          healthCheckGraceCheck({
            service,
            definition,
            cluster: request.cluster,
            gracePeriodSeconds: request.serviceSettings?.healthCheckGracePeriodSeconds,
          }),
        ]
      : [];
  const ofFile: DependentChecks = (valueOf) => {
    const loaded = file && valueOf(file);
    return [supported, ...(loaded ? revisionChecks(renderTaskDefinition(loaded.definition, request)) : [])];
  };
  // A registered revision's images, log groups and secrets, looked up as a file's are, once it is described.
  const ofRevision: DependentChecks = (valueOf) => {
    const definition = registered(valueOf);
    return definition ? revisionChecks(definition) : [];
  };
  // Without a file the new revision is the live one with the step's changes: read and rendered beside the service's
  // other checks, then its images and log groups looked up. Left out when nothing would look at it; enable-execute-command
  // true looks at it whatever the mode: its task role is what the protecting service-settings check needs.
  const execNeedsRole = request.serviceSettings?.enableExecuteCommand === true;
  const looksAtLive =
    !file &&
    !revision &&
    !following &&
    ((aws !== undefined && request.preflight !== 'off') || request.compareWith !== undefined || execNeedsRole);
  let live: PreflightCheck<RegistrableDefinition> | undefined;
  const ofLive: DependentChecks = (valueOf) => {
    const service = valueOf(supported);
    live = looksAtLive && service ? liveRevisionCheck(ecs, service, request) : undefined;
    return live ? [live] : [];
  };
  // compare-with: the rendered revision (from the file or the live one) against the other service's, once both the
  // service this step deploys (its account) and the revision are known.
  let compare: PreflightCheck<DriftReport> | undefined;
  const ofRendered: DependentChecks = (valueOf) => {
    const loaded = file && valueOf(file);
    const rendered = live ? valueOf(live) : loaded ? renderTaskDefinition(loaded.definition, request) : registered(valueOf);
    const service = valueOf(supported);
    compare =
      request.compareWith && rendered && service && !following
        ? compareWithCheck({
            ecs,
            region: request.region,
            target: service,
            compareWith: request.compareWith,
            definition: rendered,
            setByStep: stepSettings(rendered, request),
            servingRevision: (other) => servingRevisionOf(other, { ecs, codedeploy, log: ports.log, clock: ports.clock }),
          })
        : undefined;
    const ofLiveRevision = live && rendered ? [...revisionChecks(rendered), ...graceChecks(service, rendered)] : [];
    const settings = settingsGiven && service && !following ? [serviceSettingsCheck(service, request.serviceSettings ?? {}, rendered)] : [];
    return [...ofLiveRevision, ...settings, ...(compare ? [compare] : [])];
  };
  const afterFile: DependentChecks[] = file ? [fields, ofFile] : revision ? [ofRevision] : [];
  // What the step waits for (wait-until, timeout), once the service and its mechanism's waits are known.
  const withWait: DependentChecks = (valueOf) => {
    const service = valueOf(supported);
    return service && waitMatters(request, service) ? [waitPossibleCheck(request, service, waitByDesignMs(found(valueOf)))] : [];
  };
  // A file's revision keeps the container and port the service's load balancer sends traffic to; without a file the
  // revision is the live one with a new image or environment, whose containers and ports the service already runs.
  const balanced: DependentChecks = (valueOf) => {
    const service = valueOf(supported);
    const loaded = file && valueOf(file);
    const definition = loaded ? renderTaskDefinition(loaded.definition, request) : registered(valueOf);
    if (!service || !definition) return [];
    const source = request.taskDefinitionFile ?? (request.taskDefinitionRevision as string);
    const container = service.loadBalancers?.length ? [loadBalancedContainerCheck({ service, definition, source })] : [];
    return [...container, ...graceChecks(service, definition)];
  };
  // scheduled-tasks: the rules and schedules exist and run this revision's family (the file's, else the service's).
  const scheduled: DependentChecks = (valueOf) => {
    if (!request.scheduledTasks?.length) return [];
    if (!aws) throw new Error('scheduled-tasks needs the clients factory (clients.aws) to read EventBridge and EventBridge Scheduler');
    const loaded = file && valueOf(file);
    const live = valueOf(supported)?.taskDefinition;
    const family = loaded ? loaded.definition.family : (registered(valueOf)?.family ?? (live ? familyOfTaskDefinition(live) : undefined));
    return family
      ? [scheduledTasksCheck({ clients: scheduledTaskClients(aws, request.region), references: request.scheduledTasks, family })]
      : [];
  };
  // The settings the step changes, against what UpdateService takes under the service's controller; and whether an
  // autoscaler will move the desired count the step sets (Application Auto Scaling, in the step's region).
  const settingsGiven = Object.keys(request.serviceSettings ?? {}).length > 0;
  const ofService: DependentChecks = (valueOf) => {
    const service = valueOf(supported);
    if (!service || following) return [];
    const scaling =
      aws && request.desiredCount !== undefined
        ? [
            desiredCountAutoscalingCheck({
              autoscaling: aws(ApplicationAutoScalingClient, request.region),
              cluster: service.clusterArn ?? request.cluster,
              service: service.serviceName ?? request.service,
              desiredCount: request.desiredCount,
            }),
          ]
        : [];
    return scaling;
  };
  const report = await runPreflight(file ? [file] : revision ? [revision, supported] : [supported], {
    log: ports.log,
    mode: request.preflight,
    writeSummary: ports.writeSummary,
    then: [
      ...afterFile,
      mechanismStage,
      (valueOf) => [
        ...withWait(valueOf),
        ...ofService(valueOf),
        ...balanced(valueOf),
        ...ofLive(valueOf),
        ...afterMechanism(valueOf),
        ...scheduled(valueOf),
      ],
      ofRendered,
    ],
  });
  const service = report.valueOf(supported) as Service;
  const values = found(report.valueOf);
  // compare-with's report, in the log's group and at once in the job summary: whatever the deploy does next (wait
  // false and a service already settled write no summary of their own), the report is there.
  const drift = compare && report.valueOf(compare);
  if (drift) {
    await logDriftReport(drift, ports.log);
    await ports.writeSummary(driftReportMarkdown(drift));
  }
  return {
    fromFile: file && report.valueOf(file),
    ...(revision ? { fromRevision: report.valueOf(revision) } : {}),
    service,
    markdown: report.markdown,
    plan: watchPlan(request, service, waitByDesignMs(values)),
    found: values,
  };
}

/**
 * The service's live revision with the step's changes, as the deploy will register it. Needed: a container name the
 * revision does not have fails here as it would when the deploy renders it, with the same message, and the checks
 * of its images and log groups need the revision. Its value is the rendered revision.
 */
function liveRevisionCheck(ecs: ECSClient, service: Service, request: DeployRequest): PreflightCheck<RegistrableDefinition> {
  return {
    id: 'live-revision-renders',
    title: 'New revision renders',
    protects: false,
    needed: true,
    permissions: ['ecs:DescribeTaskDefinition'],
    run: async () => {
      const live = await describeTaskDefinition(ecs, liveTaskDefinitionArn(service));
      const rendered = renderTaskDefinition(liveAsBase(live).definition, request);
      const count = rendered.containerDefinitions?.length ?? 0;
      return {
        status: 'pass',
        detail: `${rendered.family} from the service's revision, ${count} container${count === 1 ? '' : 's'}`,
        value: rendered,
      };
    },
  };
}

/** The input a missing image most likely comes from. */
function imagesInput(request: DeployRequest): string {
  if (request.images?.length && !request.image) return 'images';
  return request.image ? 'image' : 'task-definition';
}

/**
 * The revision another service serves, as its deployment mechanism reports it (under CODE_DEPLOY its steady
 * original task set's, the PRIMARY one outside a deployment; under ECS its newest COMPLETED deployment's, the PRIMARY
 * one unless a deploy is failing beside it): the one way this suite finds it. A service no mechanism handles (an
 * EXTERNAL controller) has none, and compare-with takes its taskDefinition.
 */
async function servingRevisionOf(
  service: Service,
  context: { ecs: ECSClient; codedeploy?: CodeDeployClient; log: Logger; clock: Clock },
): Promise<ServingRevision> {
  let mechanism;
  try {
    mechanism = mechanismFor(service);
  } catch (error) {
    return { evidence: `no deployment mechanism of this step reads its deployments (${(error as Error).message})` };
  }
  return mechanism.servingRevision(service, { ...context, cluster: service.clusterArn ?? '' }, []);
}

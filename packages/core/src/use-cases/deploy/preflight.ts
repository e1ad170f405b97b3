import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import type { ClientFactory } from '../../common/aws';
import type { Logger } from '../../common/logger';
import type { LoadedDefinition } from '../../task-definition/load';
import {
  fileFieldsCheck,
  fileRendersCheck,
  imagesExistCheck,
  loadBalancedContainerCheck,
  logGroupsExistCheck,
  runPreflight,
  secretsExistCheck,
  type DependentChecks,
  type PreflightCheck,
} from '../../preflight';
import { describeTaskDefinition } from '../../task-definition/register';
import { renderTaskDefinition } from '../../task-definition/render';
import type { RegistrableDefinition } from '../../task-definition/strip';
import { waitByDesignMs } from '../../deployment/mechanism';
import { liveAsBase, liveTaskDefinitionArn } from './base-definition';
import { mechanismChecks, supportedServiceCheck } from '../../deployment/supported-service';
import type { DeployRequest } from './request';
import { waitMatters, waitPossibleCheck, watchPlan, type WatchPlan } from './wait-check';

export interface DeployPreflight {
  /** The task-definition file as read, when one was given. */
  fromFile?: LoadedDefinition;
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
const SETTING_INPUTS = { desiredCount: 'desired-count' } as const;

/**
 * What the deploy changes, checked before anything is registered or updated, in one table: the file first, on
 * its own, then its fields, so a broken file, a container name or a key RegisterTaskDefinition does not take
 * changes nothing and asks nothing of AWS; then the service and its deployment mechanism; then the checks that
 * mechanism needs; then what the step waits for, which may depend on what they found (a CodeDeploy group's waits).
 * `request.preflight` weakens or leaves out the checks that neither protect nor are needed.
 */
export async function deployPreflight(
  clients: { ecs: ECSClient; codedeploy?: CodeDeployClient },
  request: DeployRequest,
  ports: { log: Logger; writeSummary(markdown: string): Promise<void> },
  aws?: ClientFactory,
): Promise<DeployPreflight> {
  const { ecs, codedeploy } = clients;
  const file = request.taskDefinitionFile ? fileRendersCheck({ path: request.taskDefinitionFile, changes: request }) : undefined;
  const supported = supportedServiceCheck({ ecs, cluster: request.cluster, service: request.service, region: request.region });
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
  const ofMechanism = mechanismChecks(supported, { ecs, codedeploy, cluster: request.cluster, purpose: 'deploy', deploy });
  let mechanismBuilt: PreflightCheck<unknown>[] = [];
  const mechanismStage: DependentChecks = (valueOf) => (mechanismBuilt = ofMechanism(valueOf));
  const found = (valueOf: <T>(check: PreflightCheck<T>) => T | undefined) => mechanismBuilt.map((check) => valueOf(check));
  // What the new revision pulls, reads its secrets from and writes to: with a file, checked beside the service's look-up; without one, the
  // live revision is its base, read once the service is known.
  const revisionChecks = (definition: RegistrableDefinition): PreflightCheck<unknown>[] =>
    aws && !following
      ? [
          imagesExistCheck({ definition, aws, input: request.image ? 'image' : 'task-definition' }),
          logGroupsExistCheck({ definition, aws, region: request.region }),
          secretsExistCheck({ definition, aws, region: request.region }),
        ]
      : [];
  const ofFile: DependentChecks = (valueOf) => {
    const loaded = file && valueOf(file);
    return [supported, ...(loaded ? revisionChecks(renderTaskDefinition(loaded.definition, request)) : [])];
  };
  // Without a file the new revision is the live one with the step's changes: read and rendered beside the service's
  // other checks, then its images and log groups looked up. Left out when nothing would look at it.
  const looksAtLive = !file && aws !== undefined && !following && request.preflight !== 'off';
  let live: PreflightCheck<RegistrableDefinition> | undefined;
  const ofLive: DependentChecks = (valueOf) => {
    const service = valueOf(supported);
    live = looksAtLive && service ? liveRevisionCheck(ecs, service, request) : undefined;
    return live ? [live] : [];
  };
  const ofRendered: DependentChecks = (valueOf) => {
    const rendered = live && valueOf(live);
    return rendered ? revisionChecks(rendered) : [];
  };
  const afterFile: DependentChecks[] = file ? [fields, ofFile] : [];
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
    if (!service?.loadBalancers?.length || !loaded) return [];
    const definition = renderTaskDefinition(loaded.definition, request);
    return [loadBalancedContainerCheck({ service, definition, source: request.taskDefinitionFile as string })];
  };
  const report = await runPreflight(file ? [file] : [supported], {
    log: ports.log,
    mode: request.preflight,
    writeSummary: ports.writeSummary,
    then: [...afterFile, mechanismStage, (valueOf) => [...withWait(valueOf), ...balanced(valueOf), ...ofLive(valueOf)], ofRendered],
  });
  const service = report.valueOf(supported) as Service;
  const values = found(report.valueOf);
  return {
    fromFile: file && report.valueOf(file),
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

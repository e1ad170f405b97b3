import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import type { Logger } from '../../common/logger';
import type { LoadedDefinition } from '../../task-definition/load';
import { fileRendersCheck, runPreflight, type DependentChecks, type PreflightCheck } from '../../preflight';
import { waitByDesignMs } from '../../deployment/mechanism';
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

/**
 * What the deploy changes, checked before anything is registered or updated, in one table: the file first, on
 * its own, so a broken file or container name changes nothing and asks nothing of AWS; then the service and its
 * deployment mechanism; then the checks that mechanism needs; then what the step waits for, which may depend on what
 * they found (a CodeDeploy group's waits).
 */
export async function deployPreflight(
  clients: { ecs: ECSClient; codedeploy?: CodeDeployClient },
  request: DeployRequest,
  ports: { log: Logger; writeSummary(markdown: string): Promise<void> },
): Promise<DeployPreflight> {
  const { ecs, codedeploy } = clients;
  const file = request.taskDefinitionFile ? fileRendersCheck({ path: request.taskDefinitionFile, changes: request }) : undefined;
  const supported = supportedServiceCheck({ ecs, cluster: request.cluster, service: request.service, region: request.region });
  const afterFile: DependentChecks[] = file ? [() => [supported]] : [];
  const deploy = {
    codeDeploy: request.codeDeploy,
    waitUntil: request.waitUntil,
    following: Boolean(request.codeDeployDeploymentId || request.serviceDeploymentArn),
    ...(request.codeDeployDeploymentId ? { followDeploymentId: request.codeDeployDeploymentId } : {}),
  };
  const ofMechanism = mechanismChecks(supported, { ecs, codedeploy, cluster: request.cluster, purpose: 'deploy', deploy });
  let mechanismBuilt: PreflightCheck<unknown>[] = [];
  const mechanismStage: DependentChecks = (valueOf) => (mechanismBuilt = ofMechanism(valueOf));
  const found = (valueOf: <T>(check: PreflightCheck<T>) => T | undefined) => mechanismBuilt.map((check) => valueOf(check));
  // What the step waits for (wait-until, timeout), once the service and its mechanism's waits are known.
  const withWait: DependentChecks = (valueOf) => {
    const service = valueOf(supported);
    return service && waitMatters(request, service) ? [waitPossibleCheck(request, service, waitByDesignMs(found(valueOf)))] : [];
  };
  const report = await runPreflight(file ? [file] : [supported], {
    log: ports.log,
    writeSummary: ports.writeSummary,
    then: [...afterFile, mechanismStage, withWait],
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

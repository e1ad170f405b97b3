import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import type { Logger } from '../../common/logger';
import type { LoadedDefinition } from '../../task-definition/load';
import { fileRendersCheck, runPreflight, type DependentChecks } from '../../preflight';
import { mechanismChecks, supportedServiceCheck } from '../../deployment/supported-service';
import type { DeployRequest } from './request';

export interface DeployPreflight {
  /** The task-definition file as read, when one was given. */
  fromFile?: LoadedDefinition;
  /** The service, described once, and supported by a mechanism. */
  service: Service;
  /** The table, for the job summary the deploy writes at its end. */
  markdown: string;
}

/**
 * What the deploy changes, checked before anything is registered or updated, in one table: the file first, on
 * its own, so a broken file or container name changes nothing and asks nothing of AWS; then the service and its
 * deployment mechanism; then the checks that mechanism needs.
 */
export async function deployPreflight(
  ecs: ECSClient,
  request: DeployRequest,
  ports: { log: Logger; writeSummary(markdown: string): Promise<void> },
): Promise<DeployPreflight> {
  const file = request.taskDefinitionFile ? fileRendersCheck({ path: request.taskDefinitionFile, changes: request }) : undefined;
  const supported = supportedServiceCheck({ ecs, cluster: request.cluster, service: request.service, region: request.region });
  const afterFile: DependentChecks[] = file ? [() => [supported]] : [];
  const report = await runPreflight(file ? [file] : [supported], {
    log: ports.log,
    writeSummary: ports.writeSummary,
    then: [...afterFile, mechanismChecks(supported)],
  });
  return { fromFile: file && report.valueOf(file), service: report.valueOf(supported) as Service, markdown: report.markdown };
}

import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import type { Logger } from '../../common/logger';
import { revisionActiveCheck, ROLLBACK_REVISION_ADVICE, runPreflight, type PreflightCheck } from '../../preflight';
import { mechanismChecks, supportedServiceCheck } from '../../deployment/supported-service';
import type { RollBackServiceRequest } from './request';

export interface RollbackPreflight {
  /** The service, described once, and supported by a mechanism. */
  service: Service;
  /** The ARN of the revision the 'task-definition' input names, when it does. */
  requestedArn?: string;
  /** The table, for the job summary the rollback writes at its end. */
  markdown: string;
  /** What the mechanism's own checks found (CodeDeploy's deployment group), for its rollback. */
  found: unknown[];
}

/**
 * Where the service stands and the revision asked for, checked before any change, in one table: the service and
 * its deployment mechanism first, then the requested revision (ECS refuses to update a service to an INACTIVE
 * one, and finding that out after the rollback started would leave the bad release running) and the checks the
 * mechanism needs. `described` is the service as the caller read it already (see supportedControllerCheck).
 */
export async function rollbackPreflight(
  ecs: ECSClient,
  request: RollBackServiceRequest,
  ports: { log: Logger; writeSummary(markdown: string): Promise<void> },
  codedeploy?: CodeDeployClient,
  described?: Service,
): Promise<RollbackPreflight> {
  const supported = supportedServiceCheck(ecs, request, described);
  const reference = request.taskDefinition;
  const revision = reference
    ? revisionActiveCheck({
        ecs,
        reference,
        region: request.region,
        advice: ROLLBACK_REVISION_ADVICE,
        ...(request.targetSource ? { input: request.targetSource.input } : {}),
      })
    : undefined;
  const ofMechanism = mechanismChecks(supported, {
    ecs,
    codedeploy,
    cluster: request.cluster,
    purpose: 'roll-back',
    rollBack: { codeDeploy: request.codeDeploy },
  });
  let mechanismBuilt: PreflightCheck<unknown>[] = [];
  const report = await runPreflight([supported], {
    log: ports.log,
    writeSummary: ports.writeSummary,
    then: [(valueOf) => [...(revision ? [revision] : []), ...(mechanismBuilt = ofMechanism(valueOf))]],
  });
  const revisionRead = revision && report.valueOf(revision);
  return {
    service: report.valueOf(supported) as Service,
    requestedArn: reference ? (revisionRead?.definition.taskDefinitionArn ?? reference) : undefined,
    markdown: report.markdown,
    found: mechanismBuilt.map((check) => report.valueOf(check)),
  };
}

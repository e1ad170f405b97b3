import type { Service } from '@aws-sdk/client-ecs';
import { ActionFailure, ConfigurationError, errorMessage } from '../../common/errors';
import { prefixedLogger } from '../../common/logger';
import { BatchedServiceReads, describeServicesInChunks } from '../../ecs/service-reads';
import { BatchedServiceDeploymentReads } from '../../ecs/service-deployment-reads';
import type { RollBackServicesRequest, RollBackServiceRequest, ServiceRollbackOutput } from './request';
import { carryOutRollback, planRollback, type RollBackClients, type RollBackPorts, type RollbackPlan } from './roll-back-service';
import { severalRollbacksMarkdown, type ServiceRollbackRow } from './several-report';
import type { TargetSource } from './target';

export interface RollBackServicesPorts extends Omit<RollBackPorts, 'setOutputs' | 'trail' | 'serviceReads' | 'serviceDeploymentReads'> {
  /** The 'services' output, set once every rollback has ended (or failed to start). */
  setOutputs(outputs: ServiceRollbackOutput[]): void;
}

/**
 * auto-rollback with several services: each returns to its own target (its 'services' entry, else its history),
 * every check of every service before the first change, then all are rolled back at once and watched in one loop
 * (BatchedServiceReads: a quiet round of N services is ceil(N/10) DescribeServices calls; a blue/green, linear or
 * canary rollback's DescribeServiceDeployments go 20 a call, BatchedServiceDeploymentReads). The step fails if any
 * rollback fails, naming each and why, after the outputs and the summary say where every service stands.
 */
export async function rollBackServices(
  request: RollBackServicesRequest,
  clients: RollBackClients,
  ports: RollBackServicesPorts,
): Promise<ServiceRollbackOutput[]> {
  const { log } = ports;

  // 1. Every service exists and is on the ECS controller; then each one's checks and target, before any change.
  //    Each pre-flight judges the service as that read answered it: every service is described once, 10 a call.
  const described = await refuseUnsupported(request, clients);
  const plans: RollbackPlan[] = [];
  for (const one of request.services) {
    const single: RollBackServiceRequest = { ...request, service: one.service, taskDefinition: one.taskDefinition };
    const known = { source: targetSource(one.service, request.fromDeployOutput), described: described.get(one.service) };
    plans.push(await planRollback(single, clients, { ...ports, log: prefixedLogger(log, one.service) }, known));
  }

  // 2. All at once, read in shared rounds; each service's own story collected for one summary.
  const reads = new BatchedServiceReads(clients.ecs);
  const deploymentReads = new BatchedServiceDeploymentReads(clients.ecs, undefined, reads);
  for (const plan of plans) reads.join(request.cluster, plan.request.service);
  const rows = await Promise.all(plans.map((plan) => rollBackOne(plan)));
  if (reads.reads > 0) log.info(`The watch's ${reads.reads} reads of ${rows.length} services took ${reads.calls} DescribeServices calls.`);
  if (deploymentReads.reads > 0) {
    log.info(
      `The watch's ${deploymentReads.reads} reads of service deployments took ${deploymentReads.calls} DescribeServiceDeployments calls.`,
    );
  }

  const outputs = rows.map((row) => row.output);
  ports.setOutputs(outputs);
  await ports.writeSummary(severalRollbacksMarkdown(rows));
  const failed = rows.filter((row) => row.failed);
  if (failed.length > 0) {
    throw new ActionFailure(
      `Rollback failed for ${failed.length} of ${rows.length} services: ${failed.map((row) => `${row.output.service}: ${row.output.reason}`).join(' ')}`,
    );
  }
  ports.notice(rows.map((row) => row.output.reason).join(' ') + (request.reason ? ` Reason: ${request.reason}.` : ''));
  return outputs;

  async function rollBackOne(plan: RollbackPlan): Promise<ServiceRollbackRow> {
    const { service } = plan.request;
    const summaries: string[] = [];
    let last = { rolledBack: false, taskDefinitionArn: plan.target.taskDefinitionArn, durationSeconds: 0 };
    const output = (reason: string): ServiceRollbackOutput => ({ cluster: request.cluster, service, ...last, reason });
    try {
      const result = await carryOutRollback(plan, clients, {
        ...ports,
        log: prefixedLogger(log, service),
        serviceReads: reads,
        serviceDeploymentReads: deploymentReads,
        setOutputs: (next) => (last = next),
        writeSummary: async (markdown) => void summaries.push(markdown),
        // One annotation for the step, once every service has ended.
        notice: () => undefined,
      });
      return {
        output: output(result.headline),
        failed: false,
        verdict: result.verdict,
        fromArn: plan.service.taskDefinition,
        details: summaries,
      };
    } catch (error) {
      log.error(`[${service}] ${errorMessage(error)}`);
      return {
        output: output(errorMessage(error)),
        failed: true,
        verdict: 'failed',
        fromArn: plan.service.taskDefinition,
        details: summaries,
      };
    } finally {
      // A service that ended up watching nothing (already on its target, wait false) no longer holds a round up.
      reads.done(request.cluster, service);
    }
  }
}

/**
 * One DescribeServices per 10 services: a service the cluster does not have, or one under the CODE_DEPLOY
 * controller (its rollback is a CodeDeploy deployment of its own group, one service a step), is refused before any
 * service's checks. The services as read, by the name each was given by, for their pre-flights.
 */
async function refuseUnsupported(request: RollBackServicesRequest, clients: RollBackClients): Promise<Map<string, Service>> {
  const names = request.services.map((one) => one.service);
  const answers = await describeServicesInChunks(clients.ecs, request.cluster, names);
  const described = new Map<string, Service>();
  for (const name of names) {
    const answer = answers.get(name);
    if (!answer || 'failure' in answer || answer.service.status === 'INACTIVE') {
      const reason = answer && 'failure' in answer ? (answer.failure.reason ?? 'MISSING') : 'INACTIVE';
      throw new ConfigurationError(
        `Input 'service' names "${name}", which cluster ${request.cluster} does not have (DescribeServices: ${reason}): give the name of a service of that cluster, one a line. Nothing was changed.`,
        'service',
      );
    }
    if (answer.service.deploymentController?.type === 'CODE_DEPLOY') {
      throw new ConfigurationError(
        `Input 'service' names "${name}", a service under the CODE_DEPLOY deployment controller: with several services, only services of the ECS controller (rolling, blue/green, linear, canary) are rolled back. Roll ${name} back in a step of its own (one service, with codedeploy-application and codedeploy-deployment-group as needed). Nothing was changed.`,
        'service',
      );
    }
    described.set(name, answer.service);
  }
  return described;
}

/** A service's target comes from its 'services' entry or its history: when neither has one, the error says which input to give. */
function targetSource(service: string, fromDeployOutput: boolean): TargetSource {
  return {
    input: 'services',
    chosenBy: "the 'services' input (deploy-ecs's previous-task-definition-arn)",
    needed: fromDeployOutput
      ? `Input 'services' gives service ${service} an empty previous-task-definition-arn`
      : `Service ${service} needs its target in input 'services'`,
    advice: fromDeployOutput
      ? `Roll ${service} back in a step of its own with 'task-definition'.`
      : `Give deploy-ecs's services output in 'services', or roll ${service} back in a step of its own with 'task-definition'.`,
  };
}

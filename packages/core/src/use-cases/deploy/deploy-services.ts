import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import { ActionFailure, ConfigurationError, errorMessage } from '../../common/errors';
import { prefixedLogger } from '../../common/logger';
import { pacedRegistrations } from '../../ecs/registration-pacing';
import { BatchedServiceReads, describeServicesInChunks } from '../../ecs/service-reads';
import { BatchedServiceDeploymentReads } from '../../ecs/service-deployment-reads';
import { section } from '../../report/markdown';
import { deployService, type DeployClients, type DeployPorts } from './deploy-service';
import type { DeployOutputs, DeployRequest } from './request';
import {
  failsTheStep,
  serviceResult,
  servicesFailureMessage,
  servicesSummaryMarkdown,
  worstStatus,
  type ServiceResult,
} from './services-report';
import { NotStarted, StartLine } from './start-line';

/** deploy-ecs with several services that share an image: each service's live revision is its base. */
export interface ServicesDeployRequest extends Omit<DeployRequest, 'service' | 'taskDefinitionFile' | 'taskDefinitionRevision'> {
  /** The services, as given (names or ARNs), in the order of the input; at least two, none twice. */
  services: string[];
}

/** What the step outputs with several services: `services` (one result each, in input order) and the worst status. */
export interface ServicesOutputs {
  services: ServiceResult[];
  status: ServiceResult['status'];
}

export interface ServicesDeployPorts extends Omit<
  DeployPorts,
  'setOutputs' | 'trail' | 'serviceReads' | 'serviceDeploymentReads' | 'beforeFirstChange'
> {
  setOutputs(outputs: ServicesOutputs): void;
  /** How many services run their pre-flight at once (their reads, not their rollouts); default PREFLIGHTS_AT_ONCE. */
  preflightsAtOnce?: number;
}

/** Pre-flights at once: each is a handful of reads, and a few hundred at once would spend the account's read budget. */
export const PREFLIGHTS_AT_ONCE = 10;

/**
 * deploy-ecs with several services: each service is deployed as deployService deploys one (its pre-flight, its
 * live revision rendered with the step's changes, its mechanism), with three things shared. No service changes
 * before every service's pre-flight passed and its revision rendered (StartLine), so a refusal of one changes
 * nothing. The registrations go at ECS's RegisterTaskDefinition rate, and an identical revision of two services is
 * registered once (pacedRegistrations). The rollouts are watched in shared rounds (BatchedServiceReads), a
 * DescribeServices call per 10 services a round, and a DescribeServiceDeployments call per 20 blue/green, linear
 * or canary services (BatchedServiceDeploymentReads). The step fails when any service does, naming each and why.
 */
export async function deployServices(
  request: ServicesDeployRequest,
  clients: DeployClients,
  ports: ServicesDeployPorts,
): Promise<ServicesOutputs> {
  const { log, clock, signal } = ports;
  // Each pre-flight judges its service as this read answered it, and renders from the revision it named: every
  // service is described once before the start line, ceil(N/10) calls (ECS throttles its API per account and Region,
  // "Request throttling for the Amazon ECS API"). Read before the pre-flights, which run 10 at a time, a later
  // service's read is seconds older when its revision is rendered; accepted: UpdateService has no compare-and-set,
  // so any read before it leaves the service open to another writer until the update, and the first services already
  // waited that long at the start line for the last one's pre-flight when each pre-flight read its own. The longest
  // window from read to update is no longer than it was; it is the same race as between any pre-flight and its change.
  const described = await refuseOtherControllers(clients.ecs, request);
  const ecs = pacedRegistrations(clients.ecs, { clock, signal });
  const reads = new BatchedServiceReads(clients.ecs);
  const deploymentReads = new BatchedServiceDeploymentReads(clients.ecs, undefined, reads);
  const line = new StartLine(request.services);
  const preflights = new Slots(ports.preflightsAtOnce ?? PREFLIGHTS_AT_ONCE);
  const outputs = new Map<string, DeployOutputs>();
  const reports = new Map<string, string[]>();
  const failures = new Map<string, string>();
  /** Services held at the start line when another's pre-flight failed. */
  const held = new Set<string>();

  const deployOne = async (name: string): Promise<void> => {
    await preflights.take();
    let holding = true;
    const letGo = () => {
      if (holding) preflights.give();
      holding = false;
    };
    try {
      await deployService(
        { ...request, service: name },
        { ...clients, ecs },
        {
          ...ports,
          log: prefixedLogger(log, name),
          // Each service's own summary is kept: the step's summary has a row per service and the reports of those that failed.
          writeSummary: async (markdown) => void reports.set(name, [...(reports.get(name) ?? []), markdown]),
          setOutputs: (known) => void outputs.set(name, known),
          serviceReads: reads,
          serviceDeploymentReads: deploymentReads,
          beforeFirstChange: async () => {
            letGo();
            await line.ready(name);
          },
        },
        { described: described.get(name) },
      );
    } catch (error) {
      if (!line.passed) line.fail(name);
      if (error instanceof NotStarted) held.add(name);
      failures.set(name, errorMessage(error));
    } finally {
      letGo();
    }
  };
  await Promise.all(request.services.map(deployOne));

  // Stopped before any change: nothing to output, the refusals (and their pre-flight tables) are the report.
  if (!line.passed) {
    const refused = request.services.filter((name) => failures.has(name) && !held.has(name));
    const tables = refused.flatMap((name) => reports.get(name) ?? []);
    if (tables.length) await ports.writeSummary(section(...tables));
    throw new ActionFailure([...refused.map((name) => `${name}: ${failures.get(name)}`), 'No service was changed.'].join('\n'));
  }

  const results = request.services.map((name) => serviceResult(request.cluster, name, outputs.get(name), failures.get(name)));
  const final: ServicesOutputs = { services: results, status: worstStatus(results.map((result) => result.status)) };
  ports.setOutputs(final);
  log.info(`DescribeServices: ${reads.calls} calls for ${reads.reads} reads of ${request.services.length} services while watching.`);
  if (deploymentReads.reads > 0) {
    log.info(
      `DescribeServiceDeployments: ${deploymentReads.calls} calls for ${deploymentReads.reads} reads of the service deployments watched.`,
    );
  }
  const failedReports = results.filter((result) => failsTheStep(result.status)).flatMap((result) => reports.get(result.service) ?? []);
  await ports.writeSummary(servicesSummaryMarkdown(results, failedReports));
  if (results.some((result) => failsTheStep(result.status))) throw new ActionFailure(servicesFailureMessage(results));
  return final;
}

/**
 * Several services are deployed on the ECS controller only: a CODE_DEPLOY service's deployment takes inputs of its
 * own (its application, group and AppSpec), which one step cannot give each of several services. Looked up first,
 * 10 services a DescribeServices call, so the refusal comes before any service's pre-flight; a service not found is
 * left to its pre-flight, which says so in its words. The active services as read, by the name each was given by,
 * for their pre-flights (one not found or INACTIVE is described by its pre-flight, as describeService refuses it).
 */
async function refuseOtherControllers(ecs: ECSClient, request: ServicesDeployRequest): Promise<Map<string, Service>> {
  const answers = await describeServicesInChunks(ecs, request.cluster, request.services);
  const described = new Map<string, Service>();
  for (const name of request.services) {
    const answer = answers.get(name);
    const controller = answer && 'service' in answer ? (answer.service.deploymentController?.type ?? 'ECS') : 'ECS';
    if (controller !== 'ECS') {
      throw new ConfigurationError(
        `Input 'service' names several services, but ${name} uses the ${controller} deployment controller: several services deploy on the ECS controller only (rolling, blue/green, linear or canary). Deploy ${name} in a step of its own. No service was changed.`,
        'service',
      );
    }
    if (answer && 'service' in answer && answer.service.status !== 'INACTIVE') described.set(name, answer.service);
  }
  return described;
}

/** A counting semaphore: at most `size` holders at once. */
class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(size: number) {
    this.free = size;
  }

  async take(): Promise<void> {
    if (this.free > 0) {
      this.free -= 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free += 1;
  }
}

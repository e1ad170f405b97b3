import { randomUUID } from 'node:crypto';
import { CreateDeploymentCommand, type CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { DescribeServicesCommand, UpdateServiceCommand, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import { retryingThrottlesOnly } from '../../common/aws';
import { shortTaskDefinition } from '../../common/identifiers';
import { retryTransient } from '../../common/retry';
import { listStoppedTaskArns } from '../../ecs/stopped-tasks';
import type { MechanismContext, StartedDeployment, StartRequest } from '../mechanism';
import { appSpecForService, appSpecRevision, withTaskDefinition } from './appspec';
import { readDeploymentGroup } from './deployment-group';
import { DEFAULT_ECS_CONFIG, isCodeDeployPlan, type CodeDeployPlan } from './group-check';
import { deploymentsInFlight, inFlightRefusal } from './in-flight';
import { codeDeployNames } from './settings';
import { codeDeployWaitMs } from './wait-time';

const CREATE_ATTEMPTS = 4;
const CREATE_RETRY_BASE_MS = 2_000;

/** The CodeDeploy client a mechanism context must have for a CODE_DEPLOY service. */
export function codeDeployClientOf(context: Pick<MechanismContext, 'codedeploy'>): CodeDeployClient {
  if (!context.codedeploy) throw new Error('A CODE_DEPLOY service is deployed through CodeDeploy, but no CodeDeploy client was given.');
  return context.codedeploy;
}

/** What the pre-flight check found, or (for a caller without one, such as a rollback) the conventional group, read now. */
export async function planOf(request: StartRequest, codedeploy: CodeDeployClient): Promise<CodeDeployPlan> {
  const found = request.found?.find(isCodeDeployPlan);
  if (found) return found;
  const names = codeDeployNames(request.cluster, request.service);
  const group = await readDeploymentGroup(codedeploy, names);
  const deploymentConfigName = group.deploymentConfigName ?? DEFAULT_ECS_CONFIG;
  return { names, group, deploymentConfigName, waitMs: codeDeployWaitMs(group, deploymentConfigName, 'complete') };
}

/**
 * Creates the CodeDeploy deployment of the revision: the AppSpec (the appspec file's with its TaskDefinition replaced,
 * or one generated from the service) as AppSpecContent with its sha256, in the group the pre-flight check found.
 * A desired-count change goes first, by UpdateService (which a CODE_DEPLOY service takes for its count, not its
 * task definition). A transient failure is tried again, but first the group's deployments in flight are read: one
 * carrying this attempt's description is the failed attempt's, taken effect after all. A group already running a
 * deployment is refused by CodeDeploy (DeploymentLimitExceededException): the step says which one, and how to go on.
 */
export async function startCodeDeployDeployment(request: StartRequest, context: MechanismContext): Promise<StartedDeployment> {
  const { ecs, log, clock, signal } = context;
  const codedeploy = codeDeployClientOf(context);
  const plan = await planOf(request, codedeploy);
  const before = await currentService(ecs, request.cluster, request.service);
  const count = request.desiredCount !== undefined && request.desiredCount !== before.desiredCount ? request.desiredCount : undefined;
  const settings = request.settings ?? {};
  // What UpdateService takes on a CODE_DEPLOY service (the desired count, the grace period, the tags options; the
  // service-settings pre-flight check refused the rest), set before the deployment so its replacement tasks start with it.
  if (count !== undefined || Object.keys(settings).length) {
    await ecs.send(
      retryingThrottlesOnly(
        new UpdateServiceCommand({
          cluster: request.cluster,
          service: request.service,
          ...(count !== undefined ? { desiredCount: count } : {}),
          ...settings,
        }),
        { signal },
      ),
    );
    if (count !== undefined)
      log.info(`Desired count set from ${before.desiredCount} to ${count}; the replacement task set runs that many.`);
  }
  const spec = plan.appSpecFile
    ? withTaskDefinition(plan.appSpecFile, request.taskDefinitionArn)
    : appSpecForService(before, request.taskDefinitionArn);
  const revision = appSpecRevision(spec);
  const stoppedBefore = request.watch ? await listStoppedTaskArns(ecs, request.cluster, request.service) : [];
  // Tells this step's deployment from any other, should an attempt's answer be lost.
  const description = `deploy-ecs: ${shortTaskDefinition(request.taskDefinitionArn)} to ${request.cluster}/${request.service} (${randomUUID()})`;
  const startedAt = clock.now();
  const { names } = plan;
  const deploymentId = await retryTransient(
    async (attempt) => {
      if (attempt > 1) {
        const ours = (await deploymentsInFlight(codedeploy, names)).find((d) => d.description === description);
        if (ours?.deploymentId) {
          log.info(`CreateDeployment had taken effect: deployment ${ours.deploymentId} carries this step's description.`);
          return ours.deploymentId;
        }
      }
      try {
        const answer = await codedeploy.send(
          retryingThrottlesOnly(
            new CreateDeploymentCommand({
              applicationName: names.application,
              deploymentGroupName: names.deploymentGroup,
              deploymentConfigName: plan.deploymentConfigName,
              description,
              revision,
            }),
            { signal },
          ),
        );
        if (!answer.deploymentId) throw new Error('CreateDeployment answered no deployment id.');
        return answer.deploymentId;
      } catch (error) {
        if ((error as Error).name === 'DeploymentLimitExceededException')
          throw await inFlightRefusal(codedeploy, names, error, request.taskDefinitionArn);
        throw error;
      }
    },
    {
      attempts: CREATE_ATTEMPTS,
      baseDelayMs: CREATE_RETRY_BASE_MS,
      label: `CreateDeployment in ${names.deploymentGroup}`,
      log,
      clock,
      signal,
    },
  );
  log.info(
    `CodeDeploy deployment ${deploymentId} created in deployment group "${names.deploymentGroup}" of application "${names.application}" with ${plan.deploymentConfigName}.`,
  );
  return {
    deploymentId,
    codeDeployDeploymentId: deploymentId,
    startedWith: 'CreateDeployment',
    startedAt,
    service: before,
    knownEventIds: knownEvents(before),
    stoppedBefore,
  };
}

/** The service as it is now: its load balancer and network settings make the AppSpec, its events so far are not news. */
async function currentService(ecs: ECSClient, cluster: string, service: string): Promise<Service> {
  const answer = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
  const found = answer.services?.find((s) => s.status !== 'INACTIVE');
  if (!found) throw new Error(`Service ${service} is not in cluster ${cluster} any more.`);
  return found;
}

/** The service's events so far: they belong to earlier deploys. */
export function knownEvents(service: Service): string[] {
  return (service.events ?? []).flatMap((event) => (event.id ? [event.id] : []));
}

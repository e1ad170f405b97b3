import { createHash } from 'node:crypto';
import { CreateDeploymentCommand, GetDeploymentCommand, type CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { retryingThrottlesOnly } from '../../common/aws';
import { shortTaskDefinition } from '../../common/identifiers';
import { deploymentWaitsMs, ecsTargetId, type DeploymentGroupName } from '../../codedeploy';
import { describeService } from '../../ecs/service';
import type { MechanismContext, RollBackRequest, StartedRollback } from '../mechanism';

/** The deployment group of the service: the inputs, else the console's names (AppECS-<cluster>-<service>, DgpECS-<cluster>-<service>). */
export async function codeDeployGroupOf(
  request: Pick<RollBackRequest, 'cluster' | 'service' | 'codeDeploy'>,
  _context: MechanismContext,
): Promise<DeploymentGroupName> {
  const [cluster, service] = ecsTargetId(request.cluster, request.service).split(':');
  return {
    applicationName: request.codeDeploy?.application ?? `AppECS-${cluster}-${service}`,
    deploymentGroupName: request.codeDeploy?.deploymentGroup ?? `DgpECS-${cluster}-${service}`,
  };
}

/**
 * The release finished (Succeeded: its original task set is gone) or ended elsewhere: a new CodeDeploy deployment of
 * the target, of the AppSpec generated from the service, which runs the whole deployment again under the group's
 * configuration (test traffic, the traffic shift, the termination wait).
 */
export async function createDeploymentOf(
  codedeploy: CodeDeployClient,
  group: DeploymentGroupName,
  request: RollBackRequest,
  context: MechanismContext,
  stoppedBefore: string[],
): Promise<StartedRollback & { mechanism: 'CreateDeployment' }> {
  const { ecs, log, clock } = context;
  const service = await describeService(ecs, request.cluster, request.service, request.region);
  const lb = service.loadBalancers?.find((entry) => entry.containerName && entry.containerPort);
  const content = JSON.stringify({
    version: 0.0,
    Resources: [
      {
        TargetService: {
          Type: 'AWS::ECS::Service',
          Properties: {
            TaskDefinition: request.targetArn,
            LoadBalancerInfo: { ContainerName: lb?.containerName, ContainerPort: lb?.containerPort },
          },
        },
      },
    ],
  });
  const startedAt = clock.now();
  const created = await codedeploy.send(
    retryingThrottlesOnly(
      new CreateDeploymentCommand({
        ...group,
        description: `auto-rollback to ${shortTaskDefinition(request.targetArn)}`,
        revision: {
          revisionType: 'AppSpecContent',
          appSpecContent: { content, sha256: createHash('sha256').update(content).digest('hex') },
        },
      }),
      { signal: context.signal },
    ),
  );
  const deploymentId = created.deploymentId as string;
  log.info(
    `CodeDeploy deployment ${deploymentId} of ${shortTaskDefinition(request.targetArn)} runs the whole deployment again, ` +
      `as deployment group ${group.deploymentGroupName} is configured (its deployment configuration with test traffic, the traffic shift and the termination wait).`,
  );
  return {
    mechanism: 'CreateDeployment',
    description: `CreateDeployment of ${shortTaskDefinition(request.targetArn)} in CodeDeploy deployment group ${group.deploymentGroupName} (the release had finished, so the whole deployment runs again)`,
    deploymentId,
    startedAt,
    service,
    stoppedBefore,
    bakeMs: await waitsOf(codedeploy, deploymentId),
  };
}

/** The watch's extra time for the new deployment: its traffic shift and termination wait; 0 when unreadable. */
async function waitsOf(codedeploy: CodeDeployClient, deploymentId: string): Promise<number> {
  try {
    const info = (await codedeploy.send(new GetDeploymentCommand({ deploymentId })))?.deploymentInfo;
    return info ? await deploymentWaitsMs(codedeploy, info) : 0;
  } catch {
    return 0;
  }
}

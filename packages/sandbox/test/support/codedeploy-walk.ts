/**
 * Driving a CodeDeploy deployment on the manual clock, through the SDK: an AppSpec for a CODE_DEPLOY service
 * (test/support/codedeploy), CreateDeployment, and a walk of half-second steps reading GetDeployment and
 * GetDeploymentTarget until a condition holds.
 */
import { createHash } from 'node:crypto';
import {
  CreateDeploymentCommand,
  type CreateDeploymentCommandInput,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  type DeploymentInfo,
  type ECSTarget,
} from '@aws-sdk/client-codedeploy';
import type { Sandbox } from '../../src/index';
import { codeDeployClient, type CodeDeployService } from '../../../../test/support/codedeploy';

const STEP_MS = 500;

export function appSpecContent(cd: CodeDeployService, taskDefinition: string, hooks?: Array<Record<string, string>>): string {
  return JSON.stringify({
    version: 0.0,
    Resources: [
      {
        TargetService: {
          Type: 'AWS::ECS::Service',
          Properties: { TaskDefinition: taskDefinition, LoadBalancerInfo: { ContainerName: cd.containerName, ContainerPort: 8080 } },
        },
      },
    ],
    ...(hooks ? { Hooks: hooks } : {}),
  });
}

export async function createDeployment(
  sandbox: Sandbox,
  cd: CodeDeployService,
  content: string,
  extra: Partial<CreateDeploymentCommandInput> = {},
): Promise<string> {
  const created = await codeDeployClient(sandbox).send(
    new CreateDeploymentCommand({
      ...extra,
      applicationName: cd.applicationName,
      deploymentGroupName: cd.deploymentGroupName,
      revision: { revisionType: 'AppSpecContent', appSpecContent: { content, sha256: createHash('sha256').update(content).digest('hex') } },
    }),
  );
  return created.deploymentId as string;
}

export interface Observation {
  info: DeploymentInfo;
  target: ECSTarget;
}

export async function observe(sandbox: Sandbox, cd: CodeDeployService, deploymentId: string): Promise<Observation> {
  const codedeploy = codeDeployClient(sandbox);
  const info = (await codedeploy.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo as DeploymentInfo;
  const target = (await codedeploy.send(new GetDeploymentTargetCommand({ deploymentId, targetId: `${cd.cluster}:${cd.service}` })))
    .deploymentTarget?.ecsTarget as ECSTarget;
  return { info, target };
}

export const finished = (o: Observation) => ['Succeeded', 'Failed', 'Stopped'].includes(o.info.status as string);

/** Advances the manual clock in half-second steps until `until` holds (at most `maxMs` of sandbox time). */
export async function walk(
  sandbox: Sandbox,
  cd: CodeDeployService,
  deploymentId: string,
  until: (o: Observation) => boolean,
  maxMs = 30 * 60_000,
): Promise<Observation> {
  for (let elapsed = 0; ; elapsed += STEP_MS) {
    const o = await observe(sandbox, cd, deploymentId);
    if (until(o)) return o;
    if (elapsed > maxMs) throw new Error(`not reached in ${maxMs} ms: ${JSON.stringify(o)}`);
    await sandbox.advance(STEP_MS);
  }
}

export function refusalOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('the call was allowed');
    },
    (error: Error) => error,
  );
}

/**
 * Driving a CodeDeploy deployment on the manual clock, through the SDK: an AppSpec for a CODE_DEPLOY service
 * (test/support/codedeploy), CreateDeployment, and a walk of half-second steps reading GetDeployment and
 * GetDeploymentTarget until a condition holds.
 */
import { GetDeploymentCommand, GetDeploymentTargetCommand, type DeploymentInfo, type ECSTarget } from '@aws-sdk/client-codedeploy';
import { DescribeListenersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Sandbox } from '../../src/index';
import { registerRevision } from '../../../../test/support/blue-green';
import { codeDeployClient, createCodeDeployService, type CodeDeployService } from '../../../../test/support/codedeploy';
import { elbClient } from './harness';

export { appSpecContent, createCodeDeployDeployment, createDeployment } from '../../../../test/support/codedeploy';

export const STEP_MS = 500;

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

/** Advances the manual clock in half-second steps (or `stepMs`) until `until` holds (at most `maxMs` of sandbox time). */
export async function walk(
  sandbox: Sandbox,
  cd: CodeDeployService,
  deploymentId: string,
  until: (o: Observation) => boolean,
  maxMs = 30 * 60_000,
  stepMs = STEP_MS,
): Promise<Observation> {
  for (let elapsed = 0; ; elapsed += stepMs) {
    const o = await observe(sandbox, cd, deploymentId);
    if (until(o)) return o;
    if (elapsed > maxMs) throw new Error(`not reached in ${maxMs} ms: ${JSON.stringify(o)}`);
    await sandbox.advance(stepMs);
  }
}

export const eventStatus = (o: Observation, name: string) => o.target.lifecycleEvents?.find((e) => e.lifecycleEventName === name)?.status;

/** The listener's forward weights by target group, the groups it sends nothing left out (a weight not given is 1). */
export async function forwardWeights(sandbox: Sandbox, listenerArn: string): Promise<Record<string, number>> {
  const listeners = (await elbClient(sandbox).send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }))).Listeners ?? [];
  const groups = listeners[0]?.DefaultActions?.[0]?.ForwardConfig?.TargetGroups ?? [];
  return Object.fromEntries(groups.filter((g) => (g.Weight ?? 1) > 0).map((g) => [g.TargetGroupArn as string, g.Weight ?? 1]));
}

/** A CODE_DEPLOY service (its group with `group`'s settings) whose first task set runs, and a second revision registered. */
export async function steadyCodeDeployService(
  sandbox: Sandbox,
  name: string,
  group: Parameters<typeof createCodeDeployService>[1]['group'] = {},
) {
  const cd = await createCodeDeployService(sandbox, { service: name, group });
  await sandbox.advance(45_000);
  const v2 = await registerRevision(sandbox, cd, 'v2');
  return { cd, v2 };
}

export function refusalOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('the call was allowed');
    },
    (error: Error) => error,
  );
}

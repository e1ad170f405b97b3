import { codeDeployTrafficCheck } from '../../preflight/checks/codedeploy-traffic';
import type { DeploymentMechanism } from '../mechanism';
import { followedDeploymentCheck } from './followed-check';
import { deploymentGroupCheck, isCodeDeployPlan } from './group-check';
import { readServiceCodeDeployHistory } from './history';
import { startCodeDeployRollback } from './roll-back';
import { codeDeployServingRevision } from './serving-revision';
import { codeDeployClientOf, startCodeDeployDeployment } from './start';
import { codeDeployUnchanged } from './unchanged';
import { watchCodeDeployDeployment } from './watch';

/**
 * CodeDeploy blue/green (the CODE_DEPLOY deployment controller): ECS refuses a task definition update on such a
 * service, so a deploy is a CodeDeploy deployment (CreateDeployment with an AppSpec) in the service's deployment
 * group, which creates a replacement task set, moves test then production traffic to it, and keeps the original
 * through the termination wait. Watched through GetDeployment and GetDeploymentTarget in the one poll loop.
 */
export const codeDeployMechanism: DeploymentMechanism = {
  kind: 'CodeDeploy blue/green deployment',
  waitTargets: ['complete', 'bake', 'paused'],
  pausesAt: 'ready-wait',
  // The waits are the deployment group's (ready wait, traffic shifting, termination wait): its pre-flight check says them (waitMs).
  bakeTimeMs: () => 0,
  // A deploy checks its deployment group (or, following one, the deployment); a rollback checks the group too: it
  // stops or creates deployments there, and reads its history from it.
  preflightChecks: (service, { codedeploy, cluster, purpose, deploy, rollBack }) => {
    const client = codeDeployClientOf({ codedeploy });
    if (purpose === 'roll-back')
      return [deploymentGroupCheck({ codedeploy: client, cluster, service, inputs: rollBack?.codeDeploy ?? {}, waitUntil: 'complete' })];
    const waitUntil = deploy?.waitUntil ?? 'complete';
    if (deploy?.followDeploymentId)
      return [followedDeploymentCheck({ codedeploy: client, cluster, service, deploymentId: deploy.followDeploymentId, waitUntil })];
    if (deploy?.following) return [];
    return [deploymentGroupCheck({ codedeploy: client, cluster, service, inputs: deploy?.codeDeploy ?? {}, waitUntil })];
  },
  // A deploy that creates a deployment: the group's target group pair and listeners exist, from the group as read.
  preflightChecksAfter: (found, { elb, purpose }) => {
    const plan = found.find(isCodeDeployPlan);
    if (purpose !== 'deploy' || !elb || !plan) return [];
    const where = `deployment group "${plan.names.deploymentGroup}" of application "${plan.names.application}"`;
    return [codeDeployTrafficCheck({ elb, group: plan.group, where })];
  },
  start: startCodeDeployDeployment,
  judgeUnchanged: codeDeployUnchanged,
  servingRevision: codeDeployServingRevision,
  watch: (deployment, settings, context) =>
    watchCodeDeployDeployment(
      {
        cluster: settings.cluster,
        service: settings.service,
        deploymentId: deployment.codeDeployDeploymentId ?? deployment.deploymentId,
        startedAt: deployment.startedAt,
        knownEventIds: deployment.knownEventIds,
        stoppedBefore: deployment.stoppedBefore,
        timeoutMs: settings.timeoutMs,
        failedTasksThreshold: settings.failedTasksThreshold,
        goal: { waitUntil: settings.waitUntil, expect: deployment.expect },
      },
      { ...context, codedeploy: codeDeployClientOf(context) },
    ),
  rollBack: startCodeDeployRollback,
  readHistory: readServiceCodeDeployHistory,
};

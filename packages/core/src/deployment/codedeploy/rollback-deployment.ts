import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { Service } from '@aws-sdk/client-ecs';
import { ConfigurationError } from '../../common/errors';
import { shortTaskDefinition } from '../../common/identifiers';
import { resultMessage } from '../../preflight/check';
import type { MechanismContext, RollBackRequest, StartedRollback } from '../mechanism';
import { deploymentGroupCheck, isCodeDeployPlan, type CodeDeployPlan } from './group-check';
import { startCodeDeployDeployment } from './start';

/** Where the service's CodeDeploy deployments are, for a rollback: its pre-flight check's plan, or (called without one) the same check run now. */
export async function rollbackPlanOf(
  request: Pick<RollBackRequest, 'cluster' | 'service' | 'codeDeploy' | 'found'>,
  codedeploy: CodeDeployClient,
  service: Service,
): Promise<CodeDeployPlan> {
  const found = request.found?.find(isCodeDeployPlan);
  if (found) return found;
  const check = deploymentGroupCheck({
    codedeploy,
    cluster: request.cluster,
    service,
    inputs: request.codeDeploy ?? {},
    waitUntil: 'complete',
  });
  const result = await check.run();
  if (result.status === 'fail' || !result.value)
    throw new ConfigurationError(resultMessage(result), result.input ?? 'codedeploy-deployment-group');
  return result.value;
}

/**
 * The release finished (Succeeded: its original task set is gone) or ended elsewhere: a new CodeDeploy deployment of
 * the target, made as deploy-ecs makes one (the AppSpec generated from the service, CreateDeployment in the group,
 * retried without a second deployment), which runs the whole deployment again under the group's configuration: test
 * traffic, the traffic shift, the termination wait.
 */
export async function createDeploymentOf(
  plan: CodeDeployPlan,
  request: RollBackRequest,
  context: MechanismContext,
): Promise<StartedRollback & { mechanism: 'CreateDeployment' }> {
  const started = await startCodeDeployDeployment(
    {
      cluster: request.cluster,
      service: request.service,
      taskDefinitionArn: request.targetArn,
      forceNewDeployment: false,
      watch: request.wait,
      // The deployment group's settings, not an appspec file's: a rollback deploys the revision as the service runs.
      found: [{ ...plan, appSpecFile: undefined }],
    },
    context,
  );
  context.log.info(
    `CodeDeploy deployment ${started.deploymentId} of ${shortTaskDefinition(request.targetArn)} runs the whole deployment again, ` +
      `as deployment group "${plan.names.deploymentGroup}" is configured: ${plan.deploymentConfigName} with its test traffic and traffic shift, then the termination wait.`,
  );
  return {
    mechanism: 'CreateDeployment',
    description: `CreateDeployment of ${shortTaskDefinition(request.targetArn)} in CodeDeploy deployment group ${plan.names.deploymentGroup} (the release had finished, so the whole deployment runs again)`,
    deploymentId: started.deploymentId,
    startedAt: started.startedAt,
    service: started.service,
    stoppedBefore: started.stoppedBefore,
    bakeMs: plan.waitMs,
  };
}

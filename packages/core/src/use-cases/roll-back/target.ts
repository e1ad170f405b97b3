import { ConfigurationError } from '../../common/errors';
import type { DeploymentHistory } from '../../ecs/deployment-history';

export interface RollbackTarget {
  taskDefinitionArn: string;
  /** Who chose it, for the log and the job summary. */
  chosenBy: string;
}

/** The input wins; else the deployment history's last completed revision; else the user must say. */
export function chooseTarget(requestedArn: string | undefined, history: DeploymentHistory): RollbackTarget {
  if (requestedArn) return { taskDefinitionArn: requestedArn, chosenBy: "the 'task-definition' input" };
  if (history.previous)
    return { taskDefinitionArn: history.previous.taskDefinitionArn, chosenBy: `the deployment history (${history.previous.evidence})` };
  const where =
    history.source === 'codedeploy-deployments'
      ? "no Succeeded deployment among the deployment group's newest CodeDeploy deployments holds"
      : history.source === 'service-deployments'
        ? "neither the service's deployment history (ECS keeps 90 days of it, none from before 25 October 2024) nor the deployments DescribeServices lists holds"
        : 'the deployments DescribeServices lists hold';
  throw new ConfigurationError(
    `Input 'task-definition' is needed: ${where} a revision that completed a deployment before the current one. ` +
      "Give the revision to return to, e.g. deploy-ecs's previous-task-definition-arn output. Nothing was changed.",
    'task-definition',
  );
}

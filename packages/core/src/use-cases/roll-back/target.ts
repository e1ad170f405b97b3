import { ConfigurationError } from '../../common/errors';
import type { DeploymentHistory } from '../../ecs/deployment-history';

export interface RollbackTarget {
  taskDefinitionArn: string;
  /** Who chose it, for the log and the job summary. */
  chosenBy: string;
}

/** Where a requested target came from, and what to ask for when there is none: the 'task-definition' input by default. */
export interface TargetSource {
  /** The input the error names. */
  input: string;
  /** Who chose a requested target, for the log and the job summary. */
  chosenBy: string;
  /** What the error says before the reason there is no target (default: "Input 'task-definition' is needed"). */
  needed: string;
  /** What to give instead, ending the error. */
  advice: string;
}

const TASK_DEFINITION_INPUT: TargetSource = {
  input: 'task-definition',
  chosenBy: "the 'task-definition' input",
  needed: "Input 'task-definition' is needed",
  advice: "Give the revision to return to, e.g. deploy-ecs's previous-task-definition-arn output.",
};

/** The input wins; else the deployment history's last completed revision; else the user must say. */
export function chooseTarget(
  requestedArn: string | undefined,
  history: DeploymentHistory,
  source: TargetSource = TASK_DEFINITION_INPUT,
): RollbackTarget {
  if (requestedArn) return { taskDefinitionArn: requestedArn, chosenBy: source.chosenBy };
  if (history.previous)
    return { taskDefinitionArn: history.previous.taskDefinitionArn, chosenBy: `the deployment history (${history.previous.evidence})` };
  if (history.unreadable) {
    throw new ConfigurationError(
      `${source.needed}: the target cannot be chosen from the deployment history, since ${history.unreadable}. ${source.advice} Nothing was changed.`,
      source.input,
    );
  }
  const where =
    history.source === 'codedeploy-deployments'
      ? "no Succeeded deployment among the deployment group's newest CodeDeploy deployments holds"
      : history.source === 'service-deployments'
        ? "neither the service's deployment history (ECS keeps 90 days of it, none from before 25 October 2024) nor the deployments DescribeServices lists holds"
        : 'the deployments DescribeServices lists hold';
  throw new ConfigurationError(
    `${source.needed}: ${where} a revision that completed a deployment before the current one. ${source.advice} Nothing was changed.`,
    source.input,
  );
}

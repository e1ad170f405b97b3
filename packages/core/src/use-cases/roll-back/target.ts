import type { ECSClient } from '@aws-sdk/client-ecs';
import { ConfigurationError, errorMessage } from '../../common/errors';
import { describeTaskDefinition } from '../../task-definition/register';
import type { DeploymentHistory } from '../../ecs/deployment-history';

export interface RollbackTarget {
  taskDefinitionArn: string;
  /** Who chose it, for the log and the job summary. */
  chosenBy: string;
}

/**
 * The revision named by the input must exist and be usable: ECS refuses to update a service to an INACTIVE
 * revision, and finding that out after the rollback started would leave the bad release running.
 */
export async function checkRequestedRevision(ecs: ECSClient, reference: string, region: string): Promise<string> {
  let described;
  try {
    described = await describeTaskDefinition(ecs, reference);
  } catch (error) {
    const name = (error as Error).name;
    if (name !== 'ClientException' && name !== 'InvalidParameterException') throw error;
    throw new ConfigurationError(
      `Input 'task-definition': there is no task definition "${reference}" in ${region} (${errorMessage(error)}). ` +
        "Give a registered revision, normally deploy-ecs's previous-task-definition-arn output. Nothing was changed.",
      'task-definition',
    );
  }
  const { status, taskDefinitionArn } = described.definition;
  if (status && status !== 'ACTIVE') {
    throw new ConfigurationError(
      `Input 'task-definition': ${reference} is ${status}, and ECS does not update a service to a revision that is not ACTIVE. ` +
        'Register it again (it gets a new revision number) and roll back to that. Nothing was changed.',
      'task-definition',
    );
  }
  return taskDefinitionArn ?? reference;
}

/** The input wins; else the deployment history's last completed revision; else the user must say. */
export function chooseTarget(requestedArn: string | undefined, history: DeploymentHistory): RollbackTarget {
  if (requestedArn) return { taskDefinitionArn: requestedArn, chosenBy: "the 'task-definition' input" };
  if (history.previous) return { taskDefinitionArn: history.previous.taskDefinitionArn, chosenBy: `the deployment history (${history.previous.evidence})` };
  const where =
    history.source === 'service-deployments'
      ? "neither the service's deployment history (ECS keeps 90 days of it, none from before 25 October 2024) nor the deployments DescribeServices lists holds"
      : 'the deployments DescribeServices lists hold';
  throw new ConfigurationError(
    `Input 'task-definition' is needed: ${where} a revision that completed a deployment before the current one. ` +
      "Give the revision to return to, e.g. deploy-ecs's previous-task-definition-arn output. Nothing was changed.",
    'task-definition',
  );
}

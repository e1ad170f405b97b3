import type { Service, Tag, TaskDefinition } from '@aws-sdk/client-ecs';
import { shortTaskDefinition } from '../../common/identifiers';
import type { Logger } from '../../common/logger';
import type { LoadedDefinition } from '../../task-definition/load';
import { stripTaskDefinition } from '../../task-definition/strip';
import type { ServingRevision } from '../../ecs/serving-revision';

/** Without a file, the revision the service runs now is the base, tags included. */
export function liveAsBase(live: { definition: TaskDefinition; tags: Tag[] }): LoadedDefinition {
  return { definition: stripTaskDefinition(live.definition), tags: live.tags };
}

/**
 * The service's own revision: the base for rendering and the left side of the diff. Not the rollback target: after a
 * failed deploy that nobody rolled back it is the broken revision (see servingRevisionArn).
 */
export function liveTaskDefinitionArn(service: Service): string {
  if (!service.taskDefinition) throw new Error(`Service ${service.serviceName} has no task definition.`);
  return service.taskDefinition;
}

/** previous-task-definition-arn: the revision that was serving when the step started (as the mechanism found it), or before the deployment it follows; '' when none is known. */
export function servingRevisionArn(serving: ServingRevision, log: Logger, when = 'when this step started'): string {
  if (serving.taskDefinitionArn) {
    log.info(
      `Serving ${when}: ${shortTaskDefinition(serving.taskDefinitionArn)} (${serving.evidence}); that is previous-task-definition-arn.`,
    );
    return serving.taskDefinitionArn;
  }
  log.warning(
    `previous-task-definition-arn is left empty: ${serving.evidence}. No revision is known to have worked, so none is offered as a rollback target.`,
  );
  return '';
}

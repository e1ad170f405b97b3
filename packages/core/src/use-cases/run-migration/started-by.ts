import type { Tag } from '@aws-sdk/client-ecs';
import { githubRunTags } from '../../common/github-run-tags';

/** Every task this action starts has a startedBy beginning with this, so runs of it can be found with ListTasks. */
export const STARTED_BY_PREFIX = 'run-migration';

/** ECS keeps at most 36 characters of startedBy when it is used as a filter. */
const STARTED_BY_MAX = 36;

/** `run-migration/<workflow run id>`: which action started the task, and in which run. */
export function startedByFor(env: NodeJS.ProcessEnv = process.env): string {
  const run = env.GITHUB_RUN_ID ? `/${env.GITHUB_RUN_ID}` : '';
  return `${STARTED_BY_PREFIX}${run}`.slice(0, STARTED_BY_MAX);
}

/** Tags that make a migration task auditable: which repository, commit and workflow run started it. */
export function auditTags(env: NodeJS.ProcessEnv = process.env): Tag[] {
  return githubRunTags(STARTED_BY_PREFIX, env);
}

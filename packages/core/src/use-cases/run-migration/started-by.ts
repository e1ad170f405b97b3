import type { Tag } from '@aws-sdk/client-ecs';

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
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const runUrl =
    env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID ? `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : undefined;
  const candidates: [string, string | undefined][] = [
    ['ecs-deploy-suite:action', 'run-migration'],
    ['github:repository', env.GITHUB_REPOSITORY],
    ['github:commit', env.GITHUB_SHA],
    ['github:workflow', env.GITHUB_WORKFLOW],
    ['github:run', runUrl],
    ['github:run-attempt', env.GITHUB_RUN_ATTEMPT],
    ['github:actor', env.GITHUB_ACTOR],
  ];
  // Tag values are at most 256 characters and a restricted character set (Tag, ECS API reference).
  return candidates
    .filter((pair): pair is [string, string] => Boolean(pair[1]))
    .map(([key, value]) => ({ key, value: value.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '_').slice(0, 256) }));
}

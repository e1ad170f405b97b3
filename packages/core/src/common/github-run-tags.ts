import type { Tag } from '@aws-sdk/client-ecs';

/** The tag keys the suite sets itself, on the revisions it registers and the tasks it starts. */
export const GITHUB_RUN_TAG_KEYS = {
  action: 'ecs-deploy-suite:action',
  repository: 'github:repository',
  commit: 'github:commit',
  workflow: 'github:workflow',
  run: 'github:run',
  runAttempt: 'github:run-attempt',
  actor: 'github:actor',
} as const;

/**
 * Tags that make a resource auditable: which action, repository, commit (the full SHA) and workflow run (its URL)
 * made it. A variable the runner did not set gives no tag. Characters a tag may not hold (Tag, ECS API reference:
 * letters, numbers, spaces, and + - = . _ : / @) become _, and values are cut at 256 characters.
 */
export function githubRunTags(action: string, env: NodeJS.ProcessEnv = process.env): Tag[] {
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const runUrl =
    env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID ? `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : undefined;
  const candidates: [string, string | undefined][] = [
    [GITHUB_RUN_TAG_KEYS.action, action],
    [GITHUB_RUN_TAG_KEYS.repository, env.GITHUB_REPOSITORY],
    [GITHUB_RUN_TAG_KEYS.commit, env.GITHUB_SHA],
    [GITHUB_RUN_TAG_KEYS.workflow, env.GITHUB_WORKFLOW],
    [GITHUB_RUN_TAG_KEYS.run, runUrl],
    [GITHUB_RUN_TAG_KEYS.runAttempt, env.GITHUB_RUN_ATTEMPT],
    [GITHUB_RUN_TAG_KEYS.actor, env.GITHUB_ACTOR],
  ];
  return candidates
    .filter((pair): pair is [string, string] => Boolean(pair[1]))
    .map(([key, value]) => ({ key, value: value.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '_').slice(0, 256) }));
}

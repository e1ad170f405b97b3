import { ConfigurationError } from '../../common';

export interface Commit {
  sha: string;
  short: string;
  /** The repository's web address, for the image's source label; undefined outside a workflow. */
  sourceUrl?: string;
}

/** The commit the runner checked out: images are named after it so a re-run can find what it built. */
export function commitFromEnv(env: NodeJS.ProcessEnv = process.env): Commit {
  const sha = (env.GITHUB_SHA ?? '').trim().toLowerCase();
  if (!/^[0-9a-f]{40}$/.test(sha)) {
    throw new ConfigurationError(
      `GITHUB_SHA must be the 40-character commit SHA the runner sets; got "${env.GITHUB_SHA ?? ''}". Run this action in a GitHub Actions job.`,
    );
  }
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  return { sha, short: sha.slice(0, 7), sourceUrl: env.GITHUB_REPOSITORY ? `${server}/${env.GITHUB_REPOSITORY}` : undefined };
}

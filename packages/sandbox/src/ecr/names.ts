/**
 * Repository names and tags as ECR accepts them (CreateRepository, API reference: repositoryName is 2 to 256
 * characters of lowercase letters, digits and separators, optionally in slash-separated namespaces).
 */
export const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export function repositoryNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'Member must not be null'";
  if (name.length < 2 || name.length > 256) {
    return "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'Member must have length between 2 and 256'";
  }
  if (!REPOSITORY_NAME.test(name)) {
    return `Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '${REPOSITORY_NAME.source.slice(1, -1)}''`;
  }
  return undefined;
}

// ECR's rule for repository names (CreateRepository, API reference): 2 to 256 characters, lowercase letters and
// digits separated by single dots, dashes or underscores, optionally in slash-separated namespaces.
const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/** Why ECR would refuse the name, or undefined when it would accept it. */
export function repositoryNameProblem(name: string): string | undefined {
  if (/^\d{12}\.dkr\.ecr\.|\.amazonaws\.com\//.test(name))
    return 'must be the repository name, not its URI (e.g. team/web, without the registry)';
  if (/^public\.ecr\.aws\//.test(name))
    return 'must be the repository name, not its ECR Public URI: set registry to public and give the name after the alias (e.g. web for public.ecr.aws/my-alias/web)';
  if (name.length < 2 || name.length > 256) return 'must be 2 to 256 characters long';
  if (!REPOSITORY_NAME.test(name)) {
    return 'must be lowercase letters and digits separated by single dots, dashes or underscores, optionally in namespaces separated by slashes (e.g. team/web-api)';
  }
  return undefined;
}

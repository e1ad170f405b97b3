/**
 * Amazon ECR Public behind build-push's registry seam. Its API (service ecr-public) answers in us-east-1 only, and its
 * GetAuthorizationToken hands out a credential for public.ecr.aws with the username AWS (ECR Public user guide,
 * "Registry authentication in Amazon ECR public"). A repository's URI is public.ecr.aws/<registry alias>/<name>: the
 * push goes to the repositoryUri DescribeRepositories gives. ECR Public has no image scanning, no lifecycle policies
 * and no tag immutability (CreateRepository takes only repositoryName, catalogData and tags: ECR Public API
 * reference), so the inputs about them are refused when the inputs are read, and no tag check runs here.
 */
import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  RepositoryNotFoundException,
  type ECRPUBLICClient,
} from '@aws-sdk/client-ecr-public';
import { ActionFailure, ConfigurationError } from '../../common';
import type { ImageRegistry } from './registry';
import { describedImage } from './repository';

/** The one region the ECR Public API is in, whatever the job's region. */
export const ECR_PUBLIC_REGION = 'us-east-1';
/** The registry host public repositories' URIs name. */
export const ECR_PUBLIC_HOST = 'public.ecr.aws';

export function ecrPublic(client: ECRPUBLICClient): ImageRegistry {
  return {
    name: 'ECR Public',

    async ensureRepository(request, _commitSha, log) {
      const name = request.repository;
      try {
        const answer = await client.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
        return { uri: answer.repositories?.[0]?.repositoryUri, exclusionFilters: [], created: false };
      } catch (error) {
        if (!(error instanceof RepositoryNotFoundException)) throw error;
      }
      if (!request.createRepository) {
        throw new ConfigurationError(
          `Input 'repository': ECR Public has no repository "${name}" in this account's public registry. Create it, or set create-repository to true.`,
          'repository',
        );
      }
      const answer = await client.send(new CreateRepositoryCommand({ repositoryName: name }));
      const uri = answer.repository?.repositoryUri;
      log.info(
        `Created ECR Public repository ${uri ?? name}: anyone can pull its images (ECR Public has no tag immutability or scanning).`,
      );
      return { uri, exclusionFilters: [], created: true };
    },

    async credentials(setSecret, repositoryUri) {
      const answer = await client.send(new GetAuthorizationTokenCommand({}));
      const token = answer.authorizationData?.authorizationToken;
      if (!token) throw new ActionFailure('ECR Public answered GetAuthorizationToken without a token.');
      setSecret(token);
      const decoded = Buffer.from(token, 'base64').toString('utf8');
      const separator = decoded.indexOf(':');
      const password = decoded.slice(separator + 1);
      setSecret(password);
      // The token carries no endpoint: the host is the repository's own.
      const host = repositoryUri ? repositoryUri.slice(0, repositoryUri.indexOf('/')) : ECR_PUBLIC_HOST;
      return { host, username: decoded.slice(0, separator), password, token };
    },

    findImage(repository, tag) {
      return describedImage(() => client.send(new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageTag: tag }] })));
    },

    // ECR Public's API has no BatchGetImage: a stored image's manifest cannot be read back to store it under
    // another tag, so a tag is added by pushing the image again.
    addTags(repository, digest, tags) {
      return Promise.reject(
        new ConfigurationError(
          `Input 'tags': ECR Public's ${repository} holds this commit's image (${digest}) without ${tags.join(', ')}, and ECR Public's API cannot tag a stored image (it has no BatchGetImage to read its manifest back). Set skip-existing to false to build and push it again under every tag, or leave ${tags.join(', ')} out of 'tags'.`,
          'tags',
        ),
      );
    },
  };
}

import { describe, expect, test } from '@jest/globals';
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  ImageAlreadyExistsException,
  ImageTagAlreadyExistsException,
  PutImageCommand,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { silentLogger } from '@ecs-deploy/core/common';
import { ensureRepository } from '../../../src/use-cases/build-push/repository';
import { addTags } from '../../../src/use-cases/build-push/tag-existing';

const client = () => new ECRClient({ region: 'us-east-1' });

describe('ensureRepository', () => {
  test('creates a missing repository with immutable tags except the cache tag, and scan on push', async () => {
    const ecr = mockClient(ECRClient);
    ecr.on(DescribeRepositoriesCommand).rejects(new RepositoryNotFoundException({ message: 'none', $metadata: {} }));
    ecr.on(CreateRepositoryCommand).resolves({});
    await ensureRepository(client(), 'team/web', { create: true }, silentLogger());
    expect(ecr.commandCalls(CreateRepositoryCommand)[0].args[0].input).toEqual({
      repositoryName: 'team/web',
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'cache' }],
      imageScanningConfiguration: { scanOnPush: true },
    });
    ecr.restore();
  });

  test('leaves an existing repository as it is', async () => {
    const ecr = mockClient(ECRClient);
    ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryName: 'web' }] });
    await ensureRepository(client(), 'web', { create: true }, silentLogger());
    expect(ecr.commandCalls(CreateRepositoryCommand)).toHaveLength(0);
    ecr.restore();
  });

  test('names the missing repository when it may not create it', async () => {
    const ecr = mockClient(ECRClient);
    ecr.on(DescribeRepositoriesCommand).rejects(new RepositoryNotFoundException({ message: 'none', $metadata: {} }));
    await expect(ensureRepository(client(), 'web', { create: false }, silentLogger())).rejects.toThrow(
      `Input 'repository': ECR has no repository "web"`,
    );
    expect(ecr.commandCalls(CreateRepositoryCommand)).toHaveLength(0);
    ecr.restore();
  });
});

describe('ensureRepository in another account’s registry (registry-id)', () => {
  const denied = (action: string) =>
    Object.assign(new Error(`User: u is not authorized to perform: ${action} on resource: r because no resource-based policy allows it`), {
      name: 'AccessDeniedException',
    });

  test('a refused CreateRepository names registry-id and create-repository and who must create it', async () => {
    const ecr = mockClient(ECRClient);
    ecr.on(DescribeRepositoriesCommand).rejects(new RepositoryNotFoundException({ message: 'none', $metadata: {} }));
    ecr.on(CreateRepositoryCommand).rejects(denied('ecr:CreateRepository'));
    const ensured = ensureRepository(client(), 'web', { create: true, registryId: '210987654321' }, silentLogger());
    await expect(ensured).rejects.toThrow(/^Inputs 'registry-id' and 'create-repository': .*create "web" in account 210987654321/);
    await expect(ensured).rejects.toMatchObject({ name: 'ConfigurationError', input: 'registry-id' });
    ecr.restore();
  });

  test('a refused first read names registry-id and the repository-policy grant, and creates nothing', async () => {
    const ecr = mockClient(ECRClient);
    ecr.on(DescribeRepositoriesCommand).rejects(denied('ecr:DescribeRepositories'));
    await expect(ensureRepository(client(), 'web', { create: true, registryId: '210987654321' }, silentLogger())).rejects.toThrow(
      /^Input 'registry-id': .*a repository policy granting this account ecr:DescribeRepositories.*create-repository does not change this/,
    );
    expect(ecr.commandCalls(CreateRepositoryCommand)).toHaveLength(0);
    ecr.restore();
  });

  test("in the caller's own registry an AccessDeniedException is left as ECR said it", async () => {
    const ecr = mockClient(ECRClient);
    ecr.on(DescribeRepositoriesCommand).rejects(denied('ecr:DescribeRepositories'));
    await expect(ensureRepository(client(), 'web', { create: true }, silentLogger())).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    ecr.restore();
  });
});

describe('addTags', () => {
  const manifest = { imageManifest: '{"schemaVersion":2}', imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json' };

  test('stores the manifest again under each tag, taking a tag set meanwhile as done', async () => {
    const ecr = mockClient(ECRClient);
    ecr.on(BatchGetImageCommand).resolves({ images: [{ ...manifest, imageId: { imageDigest: 'sha256:d' } }] });
    ecr.on(PutImageCommand, { imageTag: 'staging' }).rejects(new ImageAlreadyExistsException({ message: 'exists', $metadata: {} }));
    ecr.on(PutImageCommand, { imageTag: 'production' }).resolves({});
    await addTags(client(), 'web', 'sha256:d', ['staging', 'production']);
    expect(ecr.commandCalls(PutImageCommand).map((call) => call.args[0].input)).toEqual(
      ['staging', 'production'].map((imageTag) => ({ repositoryName: 'web', ...manifest, imageDigest: 'sha256:d', imageTag })),
    );
    ecr.restore();
  });

  test('an immutable tag on another image fails with what to do', async () => {
    const ecr = mockClient(ECRClient);
    ecr.on(BatchGetImageCommand).resolves({ images: [{ ...manifest, imageId: { imageDigest: 'sha256:d' } }] });
    ecr.on(PutImageCommand).rejects(new ImageTagAlreadyExistsException({ message: 'immutable', $metadata: {} }));
    await expect(addTags(client(), 'web', 'sha256:d', ['latest'])).rejects.toThrow(
      "Tag latest already names another image in web, and the repository's tags are immutable",
    );
    ecr.restore();
  });

  test('an image ECR cannot return fails with its reason', async () => {
    const ecr = mockClient(ECRClient);
    ecr
      .on(BatchGetImageCommand)
      .resolves({ images: [], failures: [{ failureCode: 'ImageNotFound', failureReason: 'Requested image not found' }] });
    await expect(addTags(client(), 'web', 'sha256:d', ['latest'])).rejects.toThrow(
      'ECR could not return the manifest of web@sha256:d: Requested image not found.',
    );
    ecr.restore();
  });
});

import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { BatchGetImageCommand, DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { start, type Sandbox } from '../src/index';

// Other accounts' ECR registries hold what the sandbox's task runtime pulls: with a catalog, its repositories;
// without one, every image. The sandbox's own account answers from its own repositories only.

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: Error) => ({ name: error.name, message: error.message }),
  );

function ecrOf(sandbox: Sandbox): ECRClient {
  return new ECRClient({
    region: sandbox.region,
    endpoint: sandbox.endpoint,
    credentials: { accessKeyId: 't', secretAccessKey: 't' },
    maxAttempts: 1,
  });
}

describe('with a catalog', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await start({ catalog: { '123456789012.dkr.ecr.us-east-1.amazonaws.com/sample-service': { command: ['node', '-e', ''] } } });
  });
  afterAll(() => sandbox.stop());

  test('a catalogued repository of another account holds any tag, answered as a single-platform manifest', async () => {
    const answer = await ecrOf(sandbox).send(
      new DescribeImagesCommand({ registryId: '123456789012', repositoryName: 'sample-service', imageIds: [{ imageTag: 'v7' }] }),
    );
    expect(answer.imageDetails).toEqual([
      expect.objectContaining({
        registryId: '123456789012',
        repositoryName: 'sample-service',
        imageTags: ['v7'],
        imageDigest: expect.stringMatching(/^sha256:[a-f0-9]{64}$/),
        imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      }),
    ]);
    const fetched = await ecrOf(sandbox).send(
      new BatchGetImageCommand({ registryId: '123456789012', repositoryName: 'sample-service', imageIds: [{ imageTag: 'v7' }] }),
    );
    expect(fetched.images?.[0].imageId?.imageDigest).toBe(answer.imageDetails?.[0].imageDigest);
  });

  test('a repository the catalog does not run is RepositoryNotFoundException in that registry', async () => {
    expect(
      await failure(
        ecrOf(sandbox).send(
          new DescribeImagesCommand({ registryId: '123456789012', repositoryName: 'other', imageIds: [{ imageTag: 'v1' }] }),
        ),
      ),
    ).toEqual({
      name: 'RepositoryNotFoundException',
      message: "The repository with name 'other' does not exist in the registry with id '123456789012'",
    });
  });
});

describe('without a catalog', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await start();
  });
  afterAll(() => sandbox.stop());

  test('every repository of another account holds the image, as the scripted runtime pulls every image', async () => {
    const answer = await ecrOf(sandbox).send(
      new DescribeImagesCommand({ registryId: '210987654321', repositoryName: 'anything', imageIds: [{ imageTag: 'v1' }] }),
    );
    expect(answer.imageDetails?.[0].imageTags).toEqual(['v1']);
  });

  test("the sandbox's own account answers only for its own repositories", async () => {
    expect(
      await failure(
        ecrOf(sandbox).send(
          new DescribeImagesCommand({ registryId: sandbox.accountId, repositoryName: 'anything', imageIds: [{ imageTag: 'v1' }] }),
        ),
      ),
    ).toMatchObject({ name: 'RepositoryNotFoundException' });
  });
});

describe('with a catalog and a scripted image', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await start({ catalog: { '123456789012.dkr.ecr.us-east-1.amazonaws.com/sample-service': { command: ['node', '-e', ''] } } });
    sandbox.script('123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v2', { kind: 'healthy' });
  });
  afterAll(() => sandbox.stop());

  // Scripts match whole references (or patterns), so a repository is known only through the ids asked for: a tag
  // nobody scripted, asked alone, is as absent as its repository.
  test('an image a test scripted is held, as the scripted runtime plays it; a tag nobody scripted is not', async () => {
    const ecr = ecrOf(sandbox);
    const held = await ecr.send(
      new DescribeImagesCommand({ registryId: '123456789012', repositoryName: 'web', imageIds: [{ imageTag: 'v2' }] }),
    );
    expect(held.imageDetails?.[0].imageTags).toEqual(['v2']);
    expect(
      await failure(
        ecr.send(new DescribeImagesCommand({ registryId: '123456789012', repositoryName: 'web', imageIds: [{ imageTag: 'v3' }] })),
      ),
    ).toMatchObject({ name: 'RepositoryNotFoundException' });
    expect(
      await failure(
        ecr.send(
          new DescribeImagesCommand({
            registryId: '123456789012',
            repositoryName: 'web',
            imageIds: [{ imageTag: 'v2' }, { imageTag: 'v3' }],
          }),
        ),
      ),
    ).toMatchObject({ name: 'ImageNotFoundException' });
  });
});

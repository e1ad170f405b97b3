import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  PutImageScanningConfigurationCommand,
} from '@aws-sdk/client-ecr';
import { start, type Sandbox } from '../src/index';
import { ensureBuildInfra, type BuildInfra } from '../../../test/support/build-infra';
import { pushManifest } from '../../../test/support/registry/push-manifest';
import { waitFor } from './support/harness';

// The sandbox's ECR in front of the real docker-registry: images come from the registry's HTTP API.
let infra: BuildInfra;
let sandbox: Sandbox;
let ecr: ECRClient;
const suffix = Date.now().toString(36);

beforeAll(async () => {
  infra = ensureBuildInfra();
  sandbox = await start({
    timeScale: 0.1,
    registry: { endpoint: infra.registryEndpoint, username: infra.username, password: infra.password },
  });
  ecr = new ECRClient({
    region: sandbox.region,
    endpoint: sandbox.endpoint,
    credentials: { accessKeyId: 't', secretAccessKey: 't' },
    maxAttempts: 1,
  });
}, 15 * 60_000);
afterAll(async () => {
  await sandbox?.stop();
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: Error) => ({ name: error.name, message: error.message }),
  );

describe('ECR in the sandbox', () => {
  test('GetAuthorizationToken answers the registry and its credentials', async () => {
    const answer = await ecr.send(new GetAuthorizationTokenCommand({}));
    const data = answer.authorizationData?.[0];
    expect(data?.proxyEndpoint).toBe(infra.registryEndpoint);
    expect(Buffer.from(data?.authorizationToken ?? '', 'base64').toString()).toBe(`${infra.username}:${infra.password}`);
    expect(data?.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 11 * 3_600_000);
    expect(sandbox.calls.at(-1)).toMatchObject({ service: 'ecr', operation: 'GetAuthorizationToken' });
  });

  test.each([['UPPER'], ['a'], ['ends-with-/'], ['double--dash'], ['-lead']])('CreateRepository refuses the name %s', async (name) => {
    expect(await failure(ecr.send(new CreateRepositoryCommand({ repositoryName: name })))).toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining('repositoryName'),
    });
    expect((await ecr.send(new DescribeRepositoriesCommand({}))).repositories?.map((r) => r.repositoryName)).not.toContain(name);
  });

  test('CreateRepository keeps settings and refuses a second repository of the same name', async () => {
    const name = `team/web-${suffix}`;
    const created = await ecr.send(
      new CreateRepositoryCommand({
        repositoryName: name,
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
      }),
    );
    expect(created.repository).toMatchObject({
      repositoryName: name,
      repositoryUri: `${infra.registryHost}/${name}`,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
    });
    expect(await failure(ecr.send(new CreateRepositoryCommand({ repositoryName: name })))).toMatchObject({
      name: 'RepositoryAlreadyExistsException',
    });
    const described = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
    expect(described.repositories?.[0].repositoryArn).toBe(`arn:aws:ecr:us-east-1:000000000000:repository/${name}`);
    expect(await failure(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['nothing-here'] })))).toMatchObject({
      name: 'RepositoryNotFoundException',
    });
  });

  test('DescribeImages and BatchGetImage read tags and digests from the registry', async () => {
    const name = `images-${suffix}`;
    await ecr.send(new CreateRepositoryCommand({ repositoryName: name }));
    const first = await pushManifest(infra, name, 'v1', 'one');
    await pushManifest(infra, name, 'also-v1', 'one');
    const second = await pushManifest(infra, name, 'v2', 'two');
    expect(first).not.toBe(second);

    const all = await ecr.send(new DescribeImagesCommand({ repositoryName: name }));
    const tagsByDigest = Object.fromEntries((all.imageDetails ?? []).map((d) => [d.imageDigest, d.imageTags]));
    expect(tagsByDigest).toEqual({ [first]: ['also-v1', 'v1'], [second]: ['v2'] });
    const one = await ecr.send(new DescribeImagesCommand({ repositoryName: name, imageIds: [{ imageTag: 'v2' }] }));
    expect(one.imageDetails).toEqual([
      expect.objectContaining({ imageDigest: second, imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json' }),
    ]);
    expect(one.imageDetails?.[0].imageSizeInBytes).toBeGreaterThan(0);
    expect(await failure(ecr.send(new DescribeImagesCommand({ repositoryName: name, imageIds: [{ imageTag: 'v3' }] })))).toMatchObject({
      name: 'ImageNotFoundException',
      message: expect.stringContaining("imageTag:'v3'"),
    });

    const batch = await ecr.send(
      new BatchGetImageCommand({
        repositoryName: name,
        imageIds: [{ imageTag: 'v1' }, { imageTag: 'v3' }, { imageDigest: second, imageTag: 'v1' }],
      }),
    );
    expect(batch.images?.map((image) => image.imageId)).toEqual([{ imageDigest: first, imageTag: 'v1' }]);
    expect(JSON.parse(batch.images?.[0].imageManifest ?? '{}').schemaVersion).toBe(2);
    expect(batch.failures?.map((f) => f.failureCode)).toEqual(['ImageNotFound', 'ImageTagDoesNotMatchDigest']);
  });

  test('scan findings: none without scanning, in progress, then the injected findings', async () => {
    const name = `scanned-${suffix}`;
    await ecr.send(new CreateRepositoryCommand({ repositoryName: name }));
    const digest = await pushManifest(infra, name, 'v1', 'scan me');
    const imageId = { imageDigest: digest };
    expect(await failure(ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: name, imageId })))).toMatchObject({
      name: 'ScanNotFoundException',
    });
    expect(
      await failure(ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: name, imageId: { imageTag: 'nope' } }))),
    ).toMatchObject({ name: 'ImageNotFoundException' });

    await ecr.send(new PutImageScanningConfigurationCommand({ repositoryName: name, imageScanningConfiguration: { scanOnPush: true } }));
    sandbox.setScanFindings(name, 'v1', [
      { name: 'CVE-2024-0002', severity: 'MEDIUM' },
      { name: 'CVE-2024-0001', severity: 'CRITICAL', uri: 'https://example.test/CVE-2024-0001' },
    ]);
    const early = await ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: name, imageId }));
    expect(early.imageScanStatus?.status).toBe('IN_PROGRESS');
    expect(early.imageScanFindings).toBeUndefined();
    const done = await waitFor('the scan to complete', async () => {
      const answer = await ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: name, imageId }));
      return answer.imageScanStatus?.status === 'COMPLETE' ? answer : undefined;
    });
    expect(done.imageScanFindings?.findingSeverityCounts).toEqual({ CRITICAL: 1, MEDIUM: 1 });
    expect(done.imageScanFindings?.findings?.map((f) => f.name)).toEqual(['CVE-2024-0001', 'CVE-2024-0002']);
  });
});

describe('PutImage', () => {
  test('adds a tag to a pushed manifest, refuses a repeat, and keeps immutable tags where they are', async () => {
    const { PutImageCommand } = await import('@aws-sdk/client-ecr');
    const name = `tagged-${suffix}`;
    await ecr.send(
      new CreateRepositoryCommand({
        repositoryName: name,
        imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'cache*' }],
      }),
    );
    const first = await pushManifest(infra, name, 'v1', 'first');
    await pushManifest(infra, name, 'cache', 'cache one');
    const second = await pushManifest(infra, name, 'v2', 'second');
    const [image] = (await ecr.send(new BatchGetImageCommand({ repositoryName: name, imageIds: [{ imageDigest: first }] }))).images ?? [];

    const put = await ecr.send(
      new PutImageCommand({
        repositoryName: name,
        imageManifest: image.imageManifest,
        imageManifestMediaType: image.imageManifestMediaType,
        imageTag: 'production',
        imageDigest: first,
      }),
    );
    expect(put.image?.imageId).toEqual({ imageDigest: first, imageTag: 'production' });
    const described = await ecr.send(new DescribeImagesCommand({ repositoryName: name, imageIds: [{ imageTag: 'production' }] }));
    expect(described.imageDetails?.[0]).toMatchObject({ imageDigest: first, imageTags: ['production', 'v1'] });

    const again = { repositoryName: name, imageManifest: image.imageManifest, imageManifestMediaType: image.imageManifestMediaType };
    expect(await failure(ecr.send(new PutImageCommand({ ...again, imageTag: 'production' })))).toMatchObject({
      name: 'ImageAlreadyExistsException',
    });
    expect(await failure(ecr.send(new PutImageCommand({ ...again, imageTag: 'v2' })))).toMatchObject({
      name: 'ImageTagAlreadyExistsException',
    });
    expect(
      (await ecr.send(new DescribeImagesCommand({ repositoryName: name, imageIds: [{ imageTag: 'v2' }] }))).imageDetails?.[0].imageDigest,
    ).toBe(second);
    // The exclusion filter lets the cache tag move.
    await ecr.send(new PutImageCommand({ ...again, imageTag: 'cache' }));
    expect(
      (await ecr.send(new DescribeImagesCommand({ repositoryName: name, imageIds: [{ imageTag: 'cache' }] }))).imageDetails?.[0]
        .imageDigest,
    ).toBe(first);
    expect(await failure(ecr.send(new PutImageCommand({ ...again, imageTag: 'x', imageDigest: second })))).toMatchObject({
      name: 'InvalidParameterException',
    });
  });
});

import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeImageTagsCommand,
  DescribeRegistriesCommand,
  DescribeRepositoriesCommand,
  ECRPUBLICClient,
  GetAuthorizationTokenCommand,
} from '@aws-sdk/client-ecr-public';
import { start, type Sandbox } from '../src/index';
import { ensureBuildInfra, type BuildInfra } from '../../../test/support/build-infra';
import { pushManifest } from '../../../test/support/registry/push-manifest';

// The sandbox's ECR Public in front of the same real docker-registry as its ECR; the sandbox itself is in another
// region, as a job's may be: ECR Public's API answers in us-east-1 whatever it is.
let infra: BuildInfra;
let sandbox: Sandbox;
const suffix = Date.now().toString(36);
const client = (region = 'us-east-1') =>
  new ECRPUBLICClient({ region, endpoint: sandbox.endpoint, credentials: { accessKeyId: 't', secretAccessKey: 't' }, maxAttempts: 1 });

beforeAll(async () => {
  infra = ensureBuildInfra();
  sandbox = await start({
    region: 'eu-west-1',
    timeScale: 0.1,
    registry: { endpoint: infra.registryEndpoint, username: infra.username, password: infra.password },
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
const host = () => new URL(infra.registryEndpoint).host;

describe('ECR Public in the sandbox', () => {
  test('GetAuthorizationToken answers one token of the registry credentials, with no endpoint', async () => {
    const answer = await client().send(new GetAuthorizationTokenCommand({}));
    expect(Object.keys(answer.authorizationData ?? {}).sort()).toEqual(['authorizationToken', 'expiresAt']);
    expect(Buffer.from(answer.authorizationData?.authorizationToken ?? '', 'base64').toString()).toBe(
      `${infra.username}:${infra.password}`,
    );
    expect(sandbox.calls.at(-1)).toMatchObject({
      service: 'ecr-public',
      operation: 'GetAuthorizationToken',
      iamAction: 'ecr-public:GetAuthorizationToken',
    });
    expect(sandbox.calls.at(-1)?.iamAlso).toEqual([{ action: 'sts:GetServiceBearerToken', resource: '*' }]);
  });

  test('refuses a request signed for another region than us-east-1', async () => {
    expect(await failure(client('eu-west-1').send(new GetAuthorizationTokenCommand({})))).toEqual({
      name: 'InvalidSignatureException',
      message: "Credential should be scoped to a valid region, not 'eu-west-1'.",
    });
  });

  test('CreateRepository gives the registry its default alias and the repository a URI under it', async () => {
    const name = `web-${suffix}`;
    const created = await client().send(new CreateRepositoryCommand({ repositoryName: name, catalogData: { description: 'the web app' } }));
    const registries = await client().send(new DescribeRegistriesCommand({}));
    const alias = registries.registries?.[0]?.aliases?.[0];
    expect(alias).toMatchObject({ status: 'ACTIVE', primaryRegistryAlias: true, defaultRegistryAlias: true });
    expect(created.repository).toMatchObject({
      repositoryName: name,
      registryId: sandbox.accountId,
      repositoryArn: `arn:aws:ecr-public::${sandbox.accountId}:repository/${name}`,
      repositoryUri: `${host()}/${alias?.name}/${name}`,
    });
    expect(Object.keys(created.repository ?? {})).not.toContain('imageTagMutability');
    expect(await failure(client().send(new CreateRepositoryCommand({ repositoryName: name })))).toMatchObject({
      name: 'RepositoryAlreadyExistsException',
    });
  });

  test('CreateRepository refuses a name longer than 205 characters', async () => {
    expect(await failure(client().send(new CreateRepositoryCommand({ repositoryName: `a${'b'.repeat(205)}` })))).toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining('between 2 and 205'),
    });
  });

  test('DescribeRepositories names a missing repository, and another account is not a registry it holds', async () => {
    expect(await failure(client().send(new DescribeRepositoriesCommand({ repositoryNames: [`missing-${suffix}`] })))).toMatchObject({
      name: 'RepositoryNotFoundException',
      message: expect.stringContaining(`missing-${suffix}`),
    });
    expect(await failure(client().send(new DescribeRepositoriesCommand({ registryId: '210987654321' })))).toMatchObject({
      name: 'RegistryNotFoundException',
    });
  });

  test('DescribeImages and DescribeImageTags read what was pushed to the repository URI', async () => {
    const name = `api-${suffix}`;
    const created = await client().send(new CreateRepositoryCommand({ repositoryName: name }));
    const path = (created.repository?.repositoryUri ?? '').slice(host().length + 1);
    const digest = await pushManifest(infra, path, 'v1', `public ${suffix}`);

    const images = await client().send(new DescribeImagesCommand({ repositoryName: name, imageIds: [{ imageTag: 'v1' }] }));
    expect(images.imageDetails?.[0]).toMatchObject({ imageDigest: digest, imageTags: ['v1'], repositoryName: name });
    expect(Object.keys(images.imageDetails?.[0] ?? {})).not.toContain('imageScanStatus');
    const tags = await client().send(new DescribeImageTagsCommand({ repositoryName: name }));
    expect(tags.imageTagDetails).toEqual([
      expect.objectContaining({ imageTag: 'v1', imageDetail: expect.objectContaining({ imageDigest: digest }) }),
    ]);
    expect(await failure(client().send(new DescribeImagesCommand({ repositoryName: name, imageIds: [{ imageTag: 'v2' }] })))).toMatchObject(
      { name: 'ImageNotFoundException' },
    );
  });

  test('IAM judges repository actions on the regionless ECR Public ARN, and the token on sts:GetServiceBearerToken too', async () => {
    const name = `iam-${suffix}`;
    await client().send(new CreateRepositoryCommand({ repositoryName: name }));
    sandbox.setIamPolicy({ allow: ['ecr-public:DescribeRepositories', 'ecr-public:GetAuthorizationToken'] });
    try {
      await client().send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
      expect(sandbox.calls.at(-1)).toMatchObject({ iamAction: 'ecr-public:DescribeRepositories' });
      expect(await failure(client().send(new GetAuthorizationTokenCommand({})))).toMatchObject({
        name: 'AccessDeniedException',
        message: expect.stringContaining('not authorized to perform: sts:GetServiceBearerToken on resource: *'),
      });
      expect(await failure(client().send(new DescribeImagesCommand({ repositoryName: name })))).toMatchObject({
        name: 'AccessDeniedException',
        message: expect.stringContaining(
          `ecr-public:DescribeImages on resource: arn:aws:ecr-public::${sandbox.accountId}:repository/${name}`,
        ),
      });
    } finally {
      sandbox.setIamPolicy(undefined);
    }
  });
});

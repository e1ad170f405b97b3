import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetLifecyclePolicyCommand,
  ImageNotFoundException,
  LifecyclePolicyNotFoundException,
  PutImageCommand,
  PutLifecyclePolicyCommand,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import { start, type Sandbox } from '../src/index';
import { ensureBuildInfra, type BuildInfra } from '../../../test/support/build-infra';
import { pushManifest } from '../../../test/support/registry/push-manifest';
import { clientConfig } from '../../../test/support/sandbox-harness';

// Repositories of a central registry (another account's), named by registryId, as build-push's registry-id uses them.
const CENTRAL = '210987654321';
let infra: BuildInfra;
let sandbox: Sandbox;
let ecr: ECRClient;
const suffix = Date.now().toString(36);

beforeAll(async () => {
  infra = ensureBuildInfra();
  sandbox = await start({ registry: { endpoint: infra.registryEndpoint, username: infra.username, password: infra.password } });
  ecr = new ECRClient(clientConfig(sandbox, 1));
}, 15 * 60_000);
afterAll(async () => {
  await sandbox?.stop();
});

describe("ECR in the sandbox: another account's registry", () => {
  // The central account made the repository and granted the sandbox's account pull, describe and push.
  const grant = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::000000000000:root' },
        Action: ['ecr:DescribeRepositories', 'ecr:DescribeImages', 'ecr:BatchGetImage', 'ecr:PutImage'],
      },
    ],
  };
  const seedCentral = (repositoryName: string) =>
    sandbox.seed({ otherAccountRepositories: [{ registryId: CENTRAL, repositoryName, policyText: grant }] });

  test('a repository of that registry belongs to it, not the caller’s', async () => {
    const name = `central-${suffix}`;
    await seedCentral(name);
    const described = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name], registryId: CENTRAL }));
    expect(described.repositories?.[0]).toMatchObject({
      registryId: CENTRAL,
      repositoryArn: `arn:aws:ecr:${sandbox.region}:${CENTRAL}:repository/${name}`,
    });
    await expect(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }))).rejects.toThrow(RepositoryNotFoundException);
  });

  test('a repository missing there is RepositoryNotFoundException naming that registry', async () => {
    await expect(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [`none-${suffix}`], registryId: CENTRAL }))).rejects.toThrow(
      `The repository with name 'none-${suffix}' does not exist in the registry with id '${CENTRAL}'`,
    );
  });

  test("its images are the real registry's: a pushed tag is found, a missing one is ImageNotFoundException", async () => {
    const name = `central-img-${suffix}`;
    await seedCentral(name);
    const digest = await pushManifest(infra, name, 'v1', 'central image');
    const found = await ecr.send(new DescribeImagesCommand({ repositoryName: name, registryId: CENTRAL, imageIds: [{ imageTag: 'v1' }] }));
    expect(found.imageDetails?.[0]).toMatchObject({ registryId: CENTRAL, imageDigest: digest });
    await expect(
      ecr.send(new DescribeImagesCommand({ repositoryName: name, registryId: CENTRAL, imageIds: [{ imageTag: 'v2' }] })),
    ).rejects.toThrow(ImageNotFoundException);
  });

  test('a push grant lets PutImage tag an image there', async () => {
    const name = `central-tag-${suffix}`;
    await seedCentral(name);
    await pushManifest(infra, name, 'v1', 'central tagged');
    const [image] =
      (await ecr.send(new BatchGetImageCommand({ repositoryName: name, registryId: CENTRAL, imageIds: [{ imageTag: 'v1' }] }))).images ??
      [];
    const put = await ecr.send(
      new PutImageCommand({ repositoryName: name, registryId: CENTRAL, imageTag: 'v1-again', imageManifest: image?.imageManifest }),
    );
    expect(put.image?.imageId?.imageDigest).toBe(image?.imageId?.imageDigest);
  });

  test('a registryId that is not 12 digits is refused as ECR refuses it', async () => {
    await expect(ecr.send(new DescribeRepositoriesCommand({ registryId: '12345' }))).rejects.toThrow(/registryId.*\[0-9\]\{12\}/);
  });
});

describe('ECR in the sandbox: lifecycle policies', () => {
  const rule = (selection: Record<string, unknown>, rulePriority = 1) => ({ rulePriority, selection, action: { type: 'expire' } });
  const put = async (name: string, rules: unknown[]) =>
    ecr.send(new PutLifecyclePolicyCommand({ repositoryName: name, lifecyclePolicyText: JSON.stringify({ rules }) }));

  test('a valid policy is kept and read back; a repository without one answers LifecyclePolicyNotFoundException', async () => {
    const name = `lifecycle-${suffix}`;
    await ecr.send(new CreateRepositoryCommand({ repositoryName: name }));
    await expect(ecr.send(new GetLifecyclePolicyCommand({ repositoryName: name }))).rejects.toThrow(LifecyclePolicyNotFoundException);
    const rules = [rule({ tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: 5 })];
    await put(name, rules);
    const read = await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: name }));
    expect(JSON.parse(read.lifecyclePolicyText ?? '{}')).toEqual({ rules });
  });

  test.each<[string, Record<string, unknown>]>([
    ['tagged without a tag list', { tagStatus: 'tagged', countType: 'imageCountMoreThan', countNumber: 1 }],
    ['untagged with a tag list', { tagStatus: 'untagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: 1 }],
    ['sinceImagePushed without days', { tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 7 }],
    ['a count of zero', { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 0 }],
  ])('%s is refused as ECR refuses it', async (_name, selection) => {
    const name = `lifecycle-bad-${suffix}`;
    await ecr.send(new CreateRepositoryCommand({ repositoryName: name })).catch(() => undefined);
    await expect(put(name, [rule(selection)])).rejects.toThrow(/Lifecycle policy validation failure/);
  });

  test.each<[string, unknown[]]>([
    [
      'a second untagged rule',
      [
        rule({ tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1 }, 1),
        rule({ tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 }, 2),
      ],
    ],
    [
      'a pattern of five wildcards',
      [rule({ tagStatus: 'tagged', tagPatternList: ['*a*b*c*d*'], countType: 'imageCountMoreThan', countNumber: 1 })],
    ],
  ])('%s is refused as ECR refuses it', async (_name, rules) => {
    const name = `lifecycle-bad-${suffix}`;
    await ecr.send(new CreateRepositoryCommand({ repositoryName: name })).catch(() => undefined);
    await expect(put(name, rules)).rejects.toThrow(/Lifecycle policy validation failure/);
  });
});

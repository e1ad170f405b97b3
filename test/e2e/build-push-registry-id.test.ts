/**
 * build-push with `registry-id`: the repository lives in another account's registry (a central ECR), made by that
 * account with a repository policy granting this one; every ECR call names that registry, so the image is found,
 * pushed and checked there. create-repository cannot create a repository there (ECR refuses CreateRepository in
 * another account's registry), and a repository whose policy grants this account nothing is refused on the first read.
 */
import { describe, expect, test } from '@jest/globals';
import { DescribeImagesCommand, DescribeRepositoriesCommand, RepositoryNotFoundException } from '@aws-sdk/client-ecr';
import { makeContext, newSha, registryDigest, registryTags, runBuildPush, uniqueName } from '../support/build-push';
import { errorsOf } from '../support/run-action';
import { useBuildWorld } from '../support/use-build-world';

const world = useBuildWorld();
const CENTRAL = '210987654321';

/** The central account's repository policy: the README's, granting the sandbox's account push and pull. */
const grantingPush = (account: string) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'AllowPushFromDeployAccount',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${account}:root` },
      Action: [
        'ecr:DescribeRepositories',
        'ecr:DescribeImages',
        'ecr:BatchGetImage',
        'ecr:GetDownloadUrlForLayer',
        'ecr:BatchCheckLayerAvailability',
        'ecr:InitiateLayerUpload',
        'ecr:UploadLayerPart',
        'ecr:CompleteLayerUpload',
        'ecr:PutImage',
      ],
    },
  ],
});

const seedCentral = (repositoryName: string, policyText?: Record<string, unknown>) =>
  world().sandbox.seed({ otherAccountRepositories: [{ registryId: CENTRAL, repositoryName, ...(policyText ? { policyText } : {}) }] });

const ownRepositoryMissing = (repository: string) =>
  expect(world().ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [repository] }))).rejects.toThrow(RepositoryNotFoundException);

describe('build-push into a central registry (registry-id)', () => {
  test("pushes into the central account's repository its policy opens to this account, and a second run finds the image there", async () => {
    const repository = uniqueName('central');
    await seedCentral(repository, grantingPush(world().sandbox.accountId));
    const sha = newSha();
    const workspace = makeContext({ 'a.txt': `central ${sha}\n` });
    const inputs = { repository, 'registry-id': CENTRAL, builder: 'classic' };

    const first = await runBuildPush(world(), inputs, { sha, workspace });

    expect(errorsOf(first)).toEqual([]);
    expect(await registryDigest(world().infra, repository, sha)).toBe(first.outputs.digest);

    const second = await runBuildPush(world(), inputs, { sha, workspace });

    expect(errorsOf(second)).toEqual([]);
    expect(second.outputs).toMatchObject({ built: 'false', digest: first.outputs.digest });
    const images = await world().ecr.send(
      new DescribeImagesCommand({ repositoryName: repository, registryId: CENTRAL, imageIds: [{ imageTag: sha }] }),
    );
    expect(images.imageDetails?.[0]?.imageDigest).toBe(first.outputs.digest);
    // Neither run made or used a repository of that name in the caller's own registry.
    await ownRepositoryMissing(repository);
  });

  test('with create-repository and no repository there, fails before building, naming both inputs and who must create it', async () => {
    const repository = uniqueName('central-missing');
    const sha = newSha();

    const run = await runBuildPush(
      world(),
      { repository, 'registry-id': CENTRAL, 'create-repository': 'true', builder: 'classic' },
      { sha, workspace: makeContext({ 'a.txt': sha }) },
    );

    const [error] = errorsOf(run);
    expect(error).toContain(
      `Inputs 'registry-id' and 'create-repository': ECR has no repository "${repository}" in the registry of account ${CENTRAL}`,
    );
    expect(error).toContain("A repository of another account's registry is made by that account");
    expect(error).toContain(`create "${repository}" in account ${CENTRAL}`);
    expect(error).toContain('a repository policy granting this account');
    expect(run.log).not.toContain('Built in');
    expect(await registryTags(world().infra, repository)).toEqual([]);
    await expect(world().ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [repository], registryId: CENTRAL }))).rejects.toThrow(
      RepositoryNotFoundException,
    );
    await ownRepositoryMissing(repository);
  });

  test('a repository whose policy grants this account nothing fails on the first read, naming registry-id and the grant', async () => {
    const repository = uniqueName('central-closed');
    await seedCentral(repository);
    const sha = newSha();

    const run = await runBuildPush(
      world(),
      { repository, 'registry-id': CENTRAL, builder: 'classic' },
      { sha, workspace: makeContext({ 'a.txt': sha }) },
    );

    const [error] = errorsOf(run);
    expect(error).toContain(`Input 'registry-id': the registry of account ${CENTRAL} refused a read of repository "${repository}"`);
    expect(error).toContain('no resource-based policy allows the ecr:DescribeRepositories action');
    expect(error).toContain('a repository policy granting this account ecr:DescribeRepositories');
    expect(run.log).not.toContain('Built in');
    expect(await registryTags(world().infra, repository)).toEqual([]);
  });
});

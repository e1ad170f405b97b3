/**
 * build-push with `registry-id`: the repository lives in another account's registry (a central ECR), and every
 * ECR call names that registry, so the image is found, created, pushed and checked there.
 */
import { describe, expect, test } from '@jest/globals';
import { DescribeImagesCommand, DescribeRepositoriesCommand, RepositoryNotFoundException } from '@aws-sdk/client-ecr';
import { makeContext, newSha, registryDigest, runBuildPush, uniqueName } from '../support/build-push';
import { errorsOf } from '../support/run-action';
import { useBuildWorld } from '../support/use-build-world';

const world = useBuildWorld();
const CENTRAL = '210987654321';

describe('build-push into a central registry (registry-id)', () => {
  test("creates the repository in that account's registry, pushes there, and a second run finds the image there", async () => {
    const repository = uniqueName('central');
    const sha = newSha();
    const workspace = makeContext({ 'a.txt': `central ${sha}\n` });
    const inputs = { repository, 'registry-id': CENTRAL, 'create-repository': 'true', builder: 'classic' };

    const first = await runBuildPush(world(), inputs, { sha, workspace });

    expect(errorsOf(first)).toEqual([]);
    expect(first.log).toContain(`Created ECR repository ${repository} in the registry of account ${CENTRAL} (input 'registry-id')`);
    const central = await world().ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [repository], registryId: CENTRAL }));
    expect(central.repositories?.[0]?.registryId).toBe(CENTRAL);
    expect(await registryDigest(world().infra, repository, sha)).toBe(first.outputs.digest);

    const second = await runBuildPush(world(), inputs, { sha, workspace });

    expect(errorsOf(second)).toEqual([]);
    expect(second.outputs).toMatchObject({ built: 'false', digest: first.outputs.digest });
    const images = await world().ecr.send(
      new DescribeImagesCommand({ repositoryName: repository, registryId: CENTRAL, imageIds: [{ imageTag: sha }] }),
    );
    expect(images.imageDetails?.[0]?.imageDigest).toBe(first.outputs.digest);
    // Neither run made or used a repository of that name in the caller's own registry.
    await expect(world().ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [repository] }))).rejects.toThrow(
      RepositoryNotFoundException,
    );
  });
});

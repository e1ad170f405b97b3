/**
 * On a repository with immutable tags, an extra tag the push could not take is refused before anything is built
 * or changed in ECR, with the reason: `latest` (meant to move to each build), and a tag already naming another image.
 */
import { describe, expect, test } from '@jest/globals';
import { DescribeRepositoriesCommand, RepositoryNotFoundException } from '@aws-sdk/client-ecr';
import { mutatingCalls } from '../support/bad-input';
import { makeContext, newSha, registryDigest, runBuildPush, uniqueName } from '../support/build-push';
import { errorsOf } from '../support/run-action';
import { useBuildWorld } from '../support/use-build-world';

const world = useBuildWorld();

describe('build-push on a repository with immutable tags', () => {
  test('latest is refused before the repository is created, naming the input and why', async () => {
    const repository = uniqueName('imm');
    const callsBefore = world().sandbox.calls.length;

    const run = await runBuildPush(
      world(),
      { repository, 'create-repository': 'true', tags: 'latest' },
      { sha: newSha(), workspace: makeContext({ 'a.txt': 'x' }) },
    );

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Input 'tags' holds latest, a tag meant to move to each new build, and ${repository}'s tags are immutable \\(imageTagMutability IMMUTABLE_WITH_EXCLUSION, exclusions cache\\): the next build's push would fail\\.`,
        ),
      ),
    ]);
    expect(mutatingCalls(world().sandbox.calls.slice(callsBefore))).toEqual([]);
    expect(run.log).not.toMatch(/^\[command\]/m);
    await expect(world().ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [repository] }))).rejects.toThrow(
      RepositoryNotFoundException,
    );
  });

  test("a tag that already names another commit's image is refused before building; the tag keeps its image", async () => {
    const repository = uniqueName('imm');
    const workspace = makeContext({ 'a.txt': `first ${repository}` });
    const first = await runBuildPush(world(), { repository, 'create-repository': 'true', tags: 'release' }, { sha: newSha(), workspace });
    expect(errorsOf(first)).toEqual([]);
    const callsBefore = world().sandbox.calls.length;

    const run = await runBuildPush(world(), { repository, tags: 'release' }, { sha: newSha(), workspace });

    expect(errorsOf(run)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Input 'tags' holds release, which already names image ${first.outputs.digest} in ${repository}, and the repository's tags are immutable .*: the push would fail after the build\\.`,
        ),
      ),
    ]);
    expect(run.log).not.toMatch(/^\[command\]/m);
    expect(mutatingCalls(world().sandbox.calls.slice(callsBefore))).toEqual([]);
    expect(await registryDigest(world().infra, repository, 'release')).toBe(first.outputs.digest);
  });
});

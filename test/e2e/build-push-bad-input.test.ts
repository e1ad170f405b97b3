import { describe, expect, test } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { makeContext, newSha, runBuildPush, uniqueName } from '../support/build-push';
import { useBuildWorld } from '../support/use-build-world';
import { errorsOf } from '../support/run-action';

const world = useBuildWorld();

const repositories = async () =>
  ((await world().ecr.send(new DescribeRepositoriesCommand({}))).repositories ?? []).map((r) => r.repositoryName);

describe('build-push refuses bad input before building or changing anything in AWS', () => {
  const fresh = uniqueName('fresh');
  const cases: [string, Record<string, string>, RegExp][] = [
    ['no repository', { 'create-repository': 'true' }, /^Input 'repository' is required but was not given\.$/],
    [
      'a repository name ECR would refuse',
      { repository: 'Team/Web', 'create-repository': 'true' },
      /^Input 'repository' must be lowercase letters and digits .*; got "Team\/Web"\.$/,
    ],
    [
      'a repository URI instead of its name',
      { repository: '123456789012.dkr.ecr.us-east-1.amazonaws.com/web' },
      /^Input 'repository' must be the repository name, not its URI/,
    ],
    [
      'a missing Dockerfile',
      { repository: fresh, 'create-repository': 'true', dockerfile: 'docker/Nope.Dockerfile' },
      /^Input 'dockerfile' names "docker\/Nope\.Dockerfile", which does not exist/,
    ],
    [
      'a context without a Dockerfile',
      { repository: fresh, 'create-repository': 'true', context: 'app' },
      /^Input 'dockerfile' is not set and the context has no Dockerfile/,
    ],
    [
      'a context that is not there',
      { repository: fresh, 'create-repository': 'true', context: 'nowhere' },
      /^Input 'context' names "nowhere", which is not a directory/,
    ],
    [
      'an unknown builder',
      { repository: fresh, 'create-repository': 'true', builder: 'kaniko' },
      /^Input 'builder' must be one of docker, buildx, classic, buildah, podman; got "kaniko"\.$/,
    ],
    [
      'several platforms without buildx',
      { repository: fresh, 'create-repository': 'true', builder: 'buildah', platforms: 'linux/amd64,linux/arm64' },
      /^Input 'platforms' lists 2 platforms; building several needs docker buildx/,
    ],
    [
      'a bad threshold',
      { repository: fresh, 'create-repository': 'true', 'scan-severity-threshold': 'severe' },
      /^Input 'scan-severity-threshold' must be one of none, informational, low, medium, high, critical; got "severe"\.$/,
    ],
    [
      'a bad extra tag',
      { repository: fresh, 'create-repository': 'true', tags: '-latest' },
      /^Input 'tags' holds "-latest", which is not a valid tag/,
    ],
    [
      'a bad build-args line',
      { repository: fresh, 'create-repository': 'true', 'build-args': 'no equals sign' },
      /^Input 'build-args' must hold KEY=VALUE lines/,
    ],
  ];

  test.each(cases)('%s', async (_name, inputs, expected) => {
    const before = await repositories();
    const callsBefore = world().sandbox.calls.length;
    const run = await runBuildPush(world(), inputs, { sha: newSha(), workspace: makeContext({ 'a.txt': 'x' }) });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([expect.stringMatching(expected)]);
    expect(world().sandbox.calls.slice(callsBefore)).toEqual([]);
    expect(await repositories()).toEqual(before);
    expect(run.outputs).toEqual({});
    expect(run.log).not.toMatch(/^\[command\]/m);
  });

  test('a builder that is not installed on the runner', async () => {
    const callsBefore = world().sandbox.calls.length;
    // A PATH with no tools on it: the runner has no podman (nor anything else).
    const run = await runBuildPush(
      world(),
      { repository: fresh, 'create-repository': 'true', builder: 'podman' },
      { sha: newSha(), workspace: makeContext({ 'a.txt': 'x' }), env: { PATH: mkdtempSync(join(tmpdir(), 'empty-path-')) } },
    );
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual(["Input 'builder' is podman, but podman is not installed on this runner."]);
    expect(world().sandbox.calls.slice(callsBefore)).toEqual([]);
  });

  test('a repository that does not exist, without create-repository, is named and nothing is created', async () => {
    const missing = uniqueName('missing');
    const run = await runBuildPush(world(), { repository: missing }, { sha: newSha(), workspace: makeContext({ 'a.txt': 'x' }) });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      `Input 'repository': ECR has no repository "${missing}" in this account and region. Create it, or set create-repository to true.`,
    ]);
    expect(await repositories()).not.toContain(missing);
    expect(run.log).not.toMatch(/^\[command\]/m);
  });

  test('no commit SHA outside a workflow', async () => {
    const run = await runBuildPush(world(), { repository: fresh }, { sha: 'main', workspace: makeContext({ 'a.txt': 'x' }) });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([expect.stringMatching(/^GITHUB_SHA must be the 40-character commit SHA the runner sets; got "main"/)]);
  });
});

import { beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { makeContext, newSha, registryDigest, registryTags, runBuildPush, uniqueName, visibleLog } from '../support/build-push';
import { useBuildWorld } from '../support/use-build-world';
import { errorsOf } from '../support/run-action';

// Real images: built by the real dockerd, pushed to the real registry behind the sandbox's ECR.
const world = useBuildWorld();

describe('build-push builds once per commit and outputs the image by digest', () => {
  const repository = uniqueName('web');
  const sha = newSha();
  let workspace: string;
  let firstDigest: string;

  beforeAll(() => {
    workspace = makeContext({ 'index.html': '<h1>v1</h1>\n' });
  });

  test('a first run creates the repository, builds, pushes every tag, and outputs the digest the registry holds', async () => {
    // A home of its own shows whether the runner's docker config would be touched (it must not be).
    const home = mkdtempSync(join(tmpdir(), 'home-'));
    const run = await runBuildPush(
      world(),
      { repository, 'create-repository': 'true', tags: 'v1.0.0' },
      { sha, workspace, env: { HOME: home } },
    );
    expect(errorsOf(run)).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(readdirSync(home)).toEqual([]);
    const registryHost = world().infra.registryHost;
    firstDigest = run.outputs.digest;
    expect(firstDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await registryDigest(world().infra, repository, sha)).toBe(firstDigest);
    expect(run.outputs.image).toBe(`${registryHost}/${repository}@${firstDigest}`);
    expect(run.outputs.built).toBe('true');
    expect(run.outputs.tags.split('\n')).toEqual([sha, sha.slice(0, 7), 'v1.0.0'].map((tag) => `${registryHost}/${repository}:${tag}`));
    expect(await registryTags(world().infra, repository)).toEqual([sha, sha.slice(0, 7), 'v1.0.0'].sort());
    for (const tag of [sha.slice(0, 7), 'v1.0.0']) expect(await registryDigest(world().infra, repository, tag)).toBe(firstDigest);

    const created = await world().ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [repository] }));
    expect(created.repositories?.[0]).toMatchObject({
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      imageScanningConfiguration: { scanOnPush: true },
    });
    expect(run.summary).toContain(firstDigest);
    expect(run.summary).toMatch(/\| Build time \| \d/);
    expect(run.summary).toMatch(/\| Size \| \d+(\.\d)? (B|KiB)/);
    // The registry password is masked first thing, then never reaches the log, the outputs or the summary.
    // (`::add-mask::` lines are the runner's masking commands: the runner consumes them, nobody sees them.)
    const { shown, masked } = visibleLog(run);
    expect(masked).toContain(world().infra.password);
    for (const text of [shown, run.summary, JSON.stringify(run.outputs)]) {
      expect(text).not.toContain(world().infra.password);
      expect(text).not.toContain(Buffer.from(`${world().infra.username}:${world().infra.password}`).toString('base64'));
    }
  });

  test('a re-run of the same commit builds nothing and outputs the same digest', async () => {
    const callsBefore = world().sandbox.calls.length;
    const run = await runBuildPush(world(), { repository, tags: 'v1.0.0' }, { sha, workspace });
    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs).toMatchObject({
      built: 'false',
      digest: firstDigest,
      image: `${world().infra.registryHost}/${repository}@${firstDigest}`,
    });
    expect(run.log).not.toMatch(/^\[command\]/m);
    expect(run.summary).toMatch(/\| Built \| no: an image tagged with this commit already existed \|/);
    expect(
      world()
        .sandbox.calls.slice(callsBefore)
        .map((call) => call.operation),
    ).toEqual(['DescribeRepositories', 'DescribeImages', 'GetAuthorizationToken', 'DescribeImages']);
  });

  test('a re-run with a new extra tag adds it to the existing image without building (a promotion)', async () => {
    const callsBefore = world().sandbox.calls.length;
    const run = await runBuildPush(world(), { repository, tags: 'v1.0.0\nproduction' }, { sha, workspace });
    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs).toMatchObject({ built: 'false', digest: firstDigest });
    expect(run.log).not.toMatch(/^\[command\]/m);
    expect(await registryDigest(world().infra, repository, 'production')).toBe(firstDigest);
    expect(run.outputs.tags.split('\n')).toContain(`${world().infra.registryHost}/${repository}:production`);
    expect(
      world()
        .sandbox.calls.slice(callsBefore)
        .map((call) => call.operation),
    ).toEqual([
      // The extra tags' owners first: the repository's tags are immutable, so each must be new or this commit's.
      'DescribeRepositories',
      'DescribeImages',
      'DescribeImages',
      'GetAuthorizationToken',
      'DescribeImages',
      'BatchGetImage',
      'PutImage',
    ]);
  });

  test('a new commit with a changed context builds again, to a new digest', async () => {
    writeFileSync(join(workspace, 'app', 'index.html'), '<h1>v2</h1>\n');
    const next = newSha();
    const run = await runBuildPush(world(), { repository }, { sha: next, workspace });
    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs.built).toBe('true');
    expect(run.outputs.digest).not.toBe(firstDigest);
    expect(await registryDigest(world().infra, repository, next)).toBe(run.outputs.digest);
    expect(await registryDigest(world().infra, repository, sha)).toBe(firstDigest);
  });

  test('skip-existing false rebuilds the same commit from the local cache', async () => {
    const next = newSha();
    const first = await runBuildPush(world(), { repository }, { sha: next, workspace });
    const again = await runBuildPush(world(), { repository, 'skip-existing': 'false' }, { sha: next, workspace });
    expect(errorsOf(again)).toEqual([]);
    expect(again.outputs.built).toBe('true');
    expect(again.outputs.digest).toBe(first.outputs.digest);
    expect(again.summary).toMatch(/\| Cache \| (\d+) of \1 steps from cache \|/);
  });
});

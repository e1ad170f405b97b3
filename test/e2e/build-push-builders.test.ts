import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { makeContext, newSha, registryDigest, runBuildPush, uniqueName, visibleLog } from '../support/build-push';
import { useBuildWorld } from '../support/use-build-world';
import { errorsOf } from '../support/run-action';

const world = useBuildWorld();

describe.each([
  ['classic', /docker build /, /docker push /],
  ['buildah', /buildah build /, /buildah push /],
  ['podman', /podman build /, /podman push /],
])('builder %s', (builder, buildCommand, pushCommand) => {
  test('builds FROM scratch with build args and a target stage, pushes, and outputs the registry digest', async () => {
    const repository = uniqueName(builder);
    const sha = newSha();
    const workspace = makeContext(
      { 'hello.txt': `hello from ${builder}\n` },
      'FROM scratch AS base\nARG GREETING\nCOPY app/hello.txt /hello.txt\nFROM base AS final\nARG GREETING\nLABEL greeting=$GREETING\n',
    );
    const run = await runBuildPush(
      world(),
      { repository, builder, 'create-repository': 'true', 'build-args': 'GREETING=hi', target: 'final' },
      { sha, workspace },
    );
    expect(errorsOf(run)).toEqual([]);
    expect(run.log).toMatch(buildCommand);
    expect(run.log).toMatch(pushCommand);
    expect(run.log).toContain('--build-arg GREETING=hi');
    expect(run.outputs.built).toBe('true');
    expect(await registryDigest(world().infra, repository, sha)).toBe(run.outputs.digest);
    expect(await registryDigest(world().infra, repository, sha.slice(0, 7))).toBe(run.outputs.digest);
    expect(run.summary).toContain(`| Built | yes, with ${builder} |`);

    const config = await imageConfig(repository, sha);
    expect(config.config.Labels).toMatchObject({
      greeting: 'hi',
      'org.opencontainers.image.revision': sha,
      'org.opencontainers.image.source': 'https://github.com/octo/web',
    });
    const { shown, masked } = visibleLog(run);
    expect(masked).toContain(world().infra.password);
    expect(shown).not.toContain(world().infra.password);
  });
});

/** The image's config blob, straight from the registry: what a container runtime would read. */
async function imageConfig(repository: string, tag: string): Promise<{ config: { Labels: Record<string, string> } }> {
  const headers = {
    Authorization: `Basic ${Buffer.from(`${world().infra.username}:${world().infra.password}`).toString('base64')}`,
    Accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json',
  };
  const manifest = (await (await fetch(`${world().infra.registryEndpoint}/v2/${repository}/manifests/${tag}`, { headers })).json()) as {
    config: { digest: string };
  };
  return (await (
    await fetch(`${world().infra.registryEndpoint}/v2/${repository}/blobs/${manifest.config.digest}`, { headers })
  ).json()) as never;
}

test('push false builds with the tags but pushes nothing', async () => {
  const repository = uniqueName('local');
  const sha = newSha();
  const run = await runBuildPush(
    world(),
    { repository, 'create-repository': 'true', push: 'false' },
    { sha, workspace: makeContext({ 'a.txt': 'local only' }) },
  );
  expect(errorsOf(run)).toEqual([]);
  expect(run.outputs).toMatchObject({ built: 'true', digest: '', image: `${world().infra.registryHost}/${repository}:${sha}` });
  expect(run.log).not.toMatch(/^\[command\]\S*docker push/m);
  expect(await registryDigest(world().infra, repository, sha)).toBeUndefined();
});

describe.each(['classic', 'buildah', 'podman'])('builder %s with labels and no-cache', (builder) => {
  test('adds the labels to the image and, with no-cache, reuses no step of an earlier identical build', async () => {
    const repository = uniqueName(`lbl-${builder}`);
    const workspace = makeContext({ 'same.txt': `same content ${repository}\n` });
    const inputs = { repository, builder, 'create-repository': 'true' };
    expect(errorsOf(await runBuildPush(world(), inputs, { sha: newSha(), workspace }))).toEqual([]);
    // Without no-cache the same build reuses the layers the first one left (so the no-cache run's 0 means something).
    const cached = await runBuildPush(world(), inputs, { sha: newSha(), workspace });
    expect(cached.summary).toMatch(/\| Cache \| [1-9]\d* of \d+ steps from cache \|/);
    const sha = newSha();

    const run = await runBuildPush(
      world(),
      { ...inputs, labels: 'team=payments\norg.opencontainers.image.title=Web shop', 'no-cache': 'true' },
      { sha, workspace },
    );

    expect(errorsOf(run)).toEqual([]);
    expect(run.log).toContain('--no-cache');
    expect(run.summary).toMatch(/\| Cache \| 0 of \d+ steps from cache \|/);
    expect((await imageConfig(repository, sha)).config.Labels).toMatchObject({
      team: 'payments',
      'org.opencontainers.image.title': 'Web shop',
      'org.opencontainers.image.revision': sha,
    });
  });
});

describe.each(['buildah', 'podman'])('builder %s with build secrets', (builder) => {
  test('takes a secret from an environment variable and one from a file, and never shows the value', async () => {
    const repository = uniqueName(`sec-${builder}`);
    const sha = newSha();
    const workspace = makeContext({ 'a.txt': `secrets ${sha}\n` });
    writeFileSync(join(workspace, 'token.txt'), 'file-secret-value\n');
    const value = `env-secret-${sha.slice(0, 12)}`;

    const run = await runBuildPush(
      world(),
      { repository, builder, 'create-repository': 'true', secrets: 'npm_token=NPM_TOKEN', 'secret-files': 'file_token=token.txt' },
      { sha, workspace, env: { NPM_TOKEN: value } },
    );

    expect(errorsOf(run)).toEqual([]);
    expect(run.log).toContain('--secret id=npm_token,env=NPM_TOKEN');
    expect(run.log).toContain(`--secret id=file_token,src=${join(workspace, 'token.txt')}`);
    const { shown, masked } = visibleLog(run);
    expect(masked).toContain(value);
    expect(shown).not.toContain(value);
    expect(await registryDigest(world().infra, repository, sha)).toBe(run.outputs.digest);
  });
});

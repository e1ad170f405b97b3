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

/**
 * build-push's buildx builder and cache choice, through the bundled action, with a stand-in buildx plugin
 * (test/support/fake-buildx/docker: real-shaped `buildx inspect` and `docker info`, buildx's refusal of a registry
 * cache export on the docker driver, the real registry behind the sandbox's ECR). buildx cannot be installed on
 * this machine; what only a real BuildKit proves (README "Caching on GitHub-hosted runners") is left to a hosted runner.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';
import { makeContext, newSha, registryDigest, runBuildPush, uniqueName } from '../support/build-push';
import { errorsOf } from '../support/run-action';
import { useBuildWorld } from '../support/use-build-world';

const world = useBuildWorld();
const SHIM = fileURLToPath(new URL('../support/fake-buildx', import.meta.url));
const REAL_DOCKER = execFileSync('sh', ['-c', 'command -v docker'], { encoding: 'utf8' }).trim();

const INSPECT = {
  // The hosted runner's default builder: the docker driver.
  defaultDocker:
    'Name:          default\nDriver:        docker\nLast Activity: 2026-12-01 09:12:44 +0000 UTC\n\nNodes:\nName:             default\nEndpoint:         default\nStatus:           running\nPlatforms:        linux/amd64\n',
  // A builder docker/setup-buildx-action made and made current (`--use`).
  setupBuildx:
    'Name:          builder-3f7a\nDriver:        docker-container\nLast Activity: 2026-12-01 09:12:44 +0000 UTC\n\nNodes:\nName:           builder-3f70\nEndpoint:       unix:///var/run/docker.sock\nStatus:         running\nPlatforms:      linux/amd64\n',
};

async function buildWith(
  inspect: string,
  extraEnv: Record<string, string> = {},
  interrupt?: { when: (line: { text: string }) => boolean },
) {
  const dir = mkdtempSync(join(tmpdir(), 'fake-buildx-'));
  writeFileSync(join(dir, 'inspect.txt'), inspect);
  const repository = uniqueName('bx');
  const sha = newSha();
  const run = await runBuildPush(
    world(),
    { repository, 'create-repository': 'true', builder: 'buildx' },
    {
      sha,
      workspace: makeContext({ 'a.txt': `buildx cache ${sha}\n` }),
      env: {
        PATH: `${SHIM}:${process.env.PATH}`,
        REAL_DOCKER,
        FAKE_BUILDX_INSPECT: join(dir, 'inspect.txt'),
        FAKE_BUILDX_CALLS: join(dir, 'calls.txt'),
        BUILDX_CONFIG: join(dir, 'buildx'),
        ...extraEnv,
      },
      interrupt,
    },
  );
  const calls = readFileSync(join(dir, 'calls.txt'), 'utf8').trim().split('\n');
  const builders = () => readdirSync(join(dir, 'buildx', 'fake-instances'));
  return { run, repository, sha, calls, leftBuilders: builders(), builders };
}

describe('build-push with buildx', () => {
  test("on the hosted runner's default docker driver it builds on a docker-container builder of its own, then removes it", async () => {
    const { run, repository, sha, calls, leftBuilders } = await buildWith(INSPECT.defaultDocker);

    expect(errorsOf(run)).toEqual([]);
    const name =
      /Buildx cache: registry, on builder (build-push-[0-9a-f]{8}) \(driver docker-container, made for this build and removed after it\), because builder default \(driver docker\) cannot export a registry cache without the containerd image store/.exec(
        run.log,
      )?.[1];
    expect(name).toBeDefined();
    expect(calls.find((call) => call.startsWith('create'))).toBe(`create --name ${name} --driver docker-container --bootstrap`);
    expect(calls.find((call) => call.startsWith('build'))).toMatch(new RegExp(`^build --builder ${name} .*--cache-to type=registry,`));
    expect(calls.at(-1)).toBe(`rm ${name}`);
    expect(leftBuilders).toEqual([]);
    expect(await registryDigest(world().infra, repository, sha)).toBe(run.outputs.digest);
  });

  test('when that builder cannot start it builds on the default one with an inline cache, and says so', async () => {
    const { run, repository, sha, calls, leftBuilders } = await buildWith(INSPECT.defaultDocker, { FAKE_BUILDX_CREATE_EXIT: '1' });

    expect(errorsOf(run)).toEqual([]);
    expect(run.log).toMatch(/Buildx cache: inline, on the builder buildx picks, because .* could not start: docker buildx create failed/);
    const build = calls.find((call) => call.startsWith('build'))!;
    expect(build).not.toContain('--builder');
    expect(build).toContain('--cache-to type=inline');
    expect(leftBuilders).toEqual([]);
    expect(await registryDigest(world().infra, repository, sha)).toBe(run.outputs.digest);
    // The cache tag names the image that carries the inline cache, where the next build reads it.
    expect(await registryDigest(world().infra, repository, 'cache')).toBe(run.outputs.digest);
  });

  test.each([
    ['a builder docker/setup-buildx-action made current', INSPECT.setupBuildx, {}],
    ['the docker driver with the containerd image store', INSPECT.defaultDocker, { FAKE_BUILDX_STORE: 'containerd' }],
  ])('%s is used as it is, with the registry cache', async (_name, inspect, extraEnv) => {
    const { run, calls } = await buildWith(inspect, extraEnv);

    expect(errorsOf(run)).toEqual([]);
    expect(run.log).toMatch(/Buildx cache: registry, on (builder-3f7a|default), because .* exports a registry cache\./);
    expect(calls.filter((call) => /^(create|rm)/.test(call))).toEqual([]);
    expect(calls.find((call) => call.startsWith('build'))).toMatch(/^build --file .*--cache-to type=registry,/);
  });
});

test('cancelled while building on the docker-container builder made for it, the step removes that builder before it ends', async () => {
  const { run, calls, leftBuilders } = await buildWith(
    INSPECT.defaultDocker,
    { FAKE_BUILDX_BUILD_HANG: '60' },
    { when: (line) => line.text.startsWith('fake buildx: building on build-push-') },
  );

  expect(run.signalledAt).toBeDefined();
  expect(errorsOf(run).join('\n')).toMatch(/^The workflow was cancelled while buildx was building/);
  const name = calls.find((call) => call.startsWith('create'))!.split(' ')[2];
  expect(calls).toContain(`rm ${name}`);
  expect(leftBuilders).toEqual([]);
  // It ended on the cancellation, not after the build's minute.
  expect(run.finishedAt - run.signalledAt!).toBeLessThan(20_000);
});

test('cancelled while buildx create is still making the builder, the step removes the builder create then records', async () => {
  const { run, calls, builders } = await buildWith(
    INSPECT.defaultDocker,
    { FAKE_BUILDX_CREATE_SLEEP: '1' },
    { when: (line) => line.text.startsWith('fake buildx: creating build-push-') },
  );

  expect(run.signalledAt).toBeDefined();
  expect(errorsOf(run).join('\n')).toMatch(/^The workflow was cancelled while buildx was building/);
  const name = calls.find((call) => call.startsWith('create'))!.split(' ')[2];
  expect(calls.filter((call) => /^(create|rm|build)/.test(call))).toEqual([
    `create --name ${name} --driver docker-container --bootstrap`,
    `rm ${name}`,
  ]);
  expect(run.lines.filter((line) => line.text.startsWith('::warning'))).toEqual([]);
  // The step may end before a create it did not wait for: look once that create would have recorded its builder.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  expect(builders()).toEqual([]);
});

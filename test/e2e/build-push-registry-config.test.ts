/**
 * build-push keeps the runner's registry configuration: a login made before it (here the suite's registry under
 * another name, localhost, standing for Docker Hub or another account's ECR holding the base image) still pulls
 * the base image, and a CLI plugin in the runner's docker config (buildx, a stand-in here) is still found; the
 * runner's files are unchanged afterwards and no temporary copy is left.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';
import { pushManifest } from '../support/registry/push-manifest';
import { makeContext, newSha, registryDigest, runBuildPush, uniqueName, visibleLog } from '../support/build-push';
import { errorsOf } from '../support/run-action';
import { useBuildWorld } from '../support/use-build-world';

const world = useBuildWorld();
const SHIM = fileURLToPath(new URL('../support/fake-buildx/docker', import.meta.url));
const REAL_DOCKER = execFileSync('sh', ['-c', 'command -v docker'], { encoding: 'utf8' }).trim();
const INSPECT_DEFAULT =
  'Name:          default\nDriver:        docker\nLast Activity: 2026-12-01 09:12:44 +0000 UTC\n\nNodes:\nName:             default\nEndpoint:         default\nStatus:           running\nPlatforms:        linux/amd64\n';

/** A base image only a login for "localhost:<port>" can pull: the ECR credential is for 127.0.0.1:<port>. */
async function baseImageBehindOtherLogin() {
  const infra = world().infra;
  const repository = uniqueName('base');
  await pushManifest(infra, repository, '1', `base ${repository}`);
  const otherHost = `localhost:${infra.registryHost.split(':')[1]}`;
  const auth = Buffer.from(`${infra.username}:${infra.password}`).toString('base64');
  return { reference: `${otherHost}/${repository}:1`, otherHost, auth };
}

const snapshot = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();

describe('build-push keeps earlier registry logins and CLI plugins', () => {
  test("docker: buildx from the config's cli-plugins builds FROM a base image of another logged-in registry; the config is unchanged", async () => {
    const base = await baseImageBehindOtherLogin();
    const userConfig = mkdtempSync(join(tmpdir(), 'user-docker-'));
    mkdirSync(join(userConfig, 'cli-plugins'));
    copyFileSync(SHIM, join(userConfig, 'cli-plugins', 'docker-buildx'));
    execFileSync('chmod', ['+x', join(userConfig, 'cli-plugins', 'docker-buildx')]);
    const configJson = JSON.stringify({ auths: { [base.otherHost]: { auth: base.auth } } }, null, 2);
    writeFileSync(join(userConfig, 'config.json'), configJson);
    const fake = mkdtempSync(join(tmpdir(), 'fake-buildx-'));
    writeFileSync(join(fake, 'inspect.txt'), INSPECT_DEFAULT);
    const runnerTemp = mkdtempSync(join(tmpdir(), 'runner-temp-'));
    const repository = uniqueName('cfg');
    const sha = newSha();

    const run = await runBuildPush(
      world(),
      { repository, 'create-repository': 'true' },
      {
        sha,
        workspace: makeContext({ 'a.txt': `on a base ${sha}\n` }, `FROM ${base.reference}\nCOPY app/ /app/\n`),
        env: {
          DOCKER_CONFIG: userConfig,
          RUNNER_TEMP: runnerTemp,
          REAL_DOCKER,
          FAKE_BUILDX_INSPECT: join(fake, 'inspect.txt'),
          FAKE_BUILDX_CALLS: join(fake, 'calls.txt'),
        },
      },
    );

    expect(errorsOf(run)).toEqual([]);
    // buildx was found as the config's plugin (no buildx on PATH here), so the default builder is buildx.
    expect(run.summary).toContain('| Built | yes, with buildx |');
    expect(readFileSync(join(fake, 'calls.txt'), 'utf8')).toMatch(/^build /m);
    expect(run.log).toContain(`Pulling from ${base.reference.split(':1')[0].split('/').slice(1).join('/')}`);
    expect(await registryDigest(world().infra, repository, sha)).toBe(run.outputs.digest);
    expect(readFileSync(join(userConfig, 'config.json'), 'utf8')).toBe(configJson);
    expect(readdirSync(join(userConfig, 'cli-plugins'))).toEqual(['docker-buildx']);
    expect(readdirSync(runnerTemp)).toEqual([]);
    expect(visibleLog(run).shown).not.toContain(world().infra.password);
  });

  test.each(['buildah', 'podman'])(
    '%s: builds FROM a base image of a registry the REGISTRY_AUTH_FILE logs in to; the file is unchanged',
    async (builder) => {
      const base = await baseImageBehindOtherLogin();
      const authFile = join(mkdtempSync(join(tmpdir(), 'user-auth-')), 'auth.json');
      const authJson = JSON.stringify({ auths: { [base.otherHost]: { auth: base.auth } } });
      writeFileSync(authFile, authJson);
      const runnerTemp = mkdtempSync(join(tmpdir(), 'runner-temp-'));
      const repository = uniqueName(`cfg-${builder}`);
      const sha = newSha();

      const run = await runBuildPush(
        world(),
        { repository, builder, 'create-repository': 'true' },
        {
          sha,
          workspace: makeContext({ 'a.txt': `on a base ${sha}\n` }, `FROM ${base.reference}\nCOPY app/ /app/\n`),
          env: { REGISTRY_AUTH_FILE: authFile, RUNNER_TEMP: runnerTemp },
        },
      );

      expect(errorsOf(run)).toEqual([]);
      expect(run.log).toContain(`with the logins of ${authFile} (left unchanged)`);
      expect(await registryDigest(world().infra, repository, sha)).toBe(run.outputs.digest);
      expect(readFileSync(authFile, 'utf8')).toBe(authJson);
      expect(snapshot(runnerTemp)).toEqual([]);
    },
  );
});

import { beforeAll, describe, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Inputs, inputsFrom } from '@ecs-deploy/core/common';
import { readBuildInputs } from '../src/inputs';
import { repositoryNameProblem } from '../src/repository-name';

let workspace: string;
beforeAll(() => {
  workspace = mkdtempSync(join(tmpdir(), 'inputs-'));
  writeFileSync(join(workspace, 'Dockerfile'), 'FROM scratch\n');
  mkdirSync(join(workspace, 'svc'));
  writeFileSync(join(workspace, 'svc', 'Custom.Dockerfile'), 'FROM scratch\n');
});
const read = (values: Record<string, string>) => readBuildInputs(new Inputs(inputsFrom({ region: 'eu-west-1', ...values })), workspace);

describe('readBuildInputs', () => {
  test('applies the contract defaults', () => {
    expect(read({ repository: 'team/web' })).toEqual({
      region: 'eu-west-1',
      repository: 'team/web',
      context: workspace,
      dockerfile: join(workspace, 'Dockerfile'),
      buildArgs: [],
      target: undefined,
      labels: [],
      noCache: false,
      secrets: [],
      ssh: [],
      platforms: [],
      extraTags: [],
      push: true,
      cache: true,
      skipExisting: true,
      createRepository: false,
      scanThreshold: undefined,
      scanTimeoutMs: 10 * 60_000,
      builder: undefined,
      registryId: undefined,
      registry: 'private',
    });
  });

  test('reads every input', () => {
    expect(
      read({
        repository: 'web',
        context: 'svc',
        dockerfile: 'svc/Custom.Dockerfile',
        'build-args': 'A=1\nB=two=2',
        target: 'prod',
        platforms: 'linux/amd64, linux/arm64\nlinux/arm/v7',
        tags: 'latest\nrelease-1.2',
        push: 'false',
        cache: 'false',
        'skip-existing': 'false',
        'create-repository': 'true',
        'scan-severity-threshold': 'High',
        'scan-timeout': '90s',
        builder: 'buildah',
      }),
    ).toMatchObject({
      context: join(workspace, 'svc'),
      dockerfile: join(workspace, 'svc', 'Custom.Dockerfile'),
      buildArgs: [
        { name: 'A', value: '1' },
        { name: 'B', value: 'two=2' },
      ],
      target: 'prod',
      platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
      extraTags: ['latest', 'release-1.2'],
      push: false,
      cache: false,
      skipExisting: false,
      createRepository: true,
      scanThreshold: 'HIGH',
      scanTimeoutMs: 90_000,
      builder: 'buildah',
    });
  });

  test.each([
    [{ platforms: 'amd64' }, /Input 'platforms' holds "amd64"; a platform is os\/arch/],
    [{ tags: 'a b' }, /Input 'tags' holds "a b"/],
    [{ 'scan-timeout': 'soon' }, /Input 'scan-timeout' must be a duration/],
    [{ push: 'yes' }, /Input 'push' must be true or false/],
  ])('refuses %j', (values, message) => {
    expect(() => read({ repository: 'web', ...values })).toThrow(message);
  });
});

describe('repositoryNameProblem follows ECR', () => {
  test.each(['web', 'team/web', 'a.b_c-d/e1', 'x'.repeat(256)])('accepts %s', (name) => {
    expect(repositoryNameProblem(name)).toBeUndefined();
  });
  test.each(['w', 'Web', 'team//web', '/web', 'web/', 'we--b', '-web', 'web_', 'x'.repeat(257), 'a b'])('refuses %s', (name) => {
    expect(repositoryNameProblem(name)).toEqual(expect.any(String));
  });
});

describe('labels, no-cache, secrets and ssh', () => {
  const withEnv = (values: Record<string, string>, env: NodeJS.ProcessEnv) =>
    readBuildInputs(new Inputs(inputsFrom({ region: 'eu-west-1', repository: 'web', ...values })), workspace, env);

  test('reads labels, no-cache, secrets by variable name, secret files and ssh', () => {
    writeFileSync(join(workspace, '.npmrc'), '//registry.npmjs.org/:_authToken=x\n');
    const request = withEnv(
      {
        labels: 'team=payments\norg.opencontainers.image.vendor=Octo',
        'no-cache': 'true',
        secrets: 'npm_token=NPM_TOKEN',
        'secret-files': 'npmrc=.npmrc',
        ssh: 'default\ndeploy=.npmrc',
      },
      { NPM_TOKEN: 'tok', SSH_AUTH_SOCK: '/tmp/agent.sock' },
    );
    expect(request).toMatchObject({
      labels: [
        { name: 'team', value: 'payments' },
        { name: 'org.opencontainers.image.vendor', value: 'Octo' },
      ],
      noCache: true,
      secrets: [
        { id: 'npm_token', env: 'NPM_TOKEN' },
        { id: 'npmrc', file: join(workspace, '.npmrc') },
      ],
      ssh: ['default', `deploy=${join(workspace, '.npmrc')}`],
    });
    expect(JSON.stringify(request)).not.toContain('tok"');
  });

  test.each<[string, Record<string, string>, NodeJS.ProcessEnv, string]>([
    [
      'a secret whose variable is not set',
      { secrets: 'npm_token=NPM_TOKEN' },
      {},
      "Input 'secrets' reads secret npm_token from environment variable NPM_TOKEN, which is not set",
    ],
    [
      'a secret given as a value',
      { secrets: 'npm_token=abc-123' },
      {},
      `Input 'secrets' line for npm_token names "abc-123", which is not an environment variable name`,
    ],
    ['a secret line without =', { secrets: 'NPM_TOKEN' }, {}, "Input 'secrets' must hold id=ENV_NAME"],
    [
      'a secret id twice',
      { secrets: 'a=X', 'secret-files': 'a=Dockerfile' },
      { X: '1' },
      "Input 'secret-files' gives secret a a second time",
    ],
    [
      'a secret file that is missing',
      { 'secret-files': 'npmrc=nope/.npmrc' },
      {},
      `Input 'secret-files' names "nope/.npmrc" for secret npmrc, which is not a file`,
    ],
    [
      'ssh default without an agent',
      { ssh: 'default' },
      {},
      "Input 'ssh' is default, which forwards the agent of SSH_AUTH_SOCK, and SSH_AUTH_SOCK is not set",
    ],
    ['ssh naming a missing key', { ssh: 'deploy=keys/id' }, {}, `Input 'ssh' names "keys/id" for deploy, which does not exist.`],
    ['a malformed no-cache', { 'no-cache': 'yes' }, {}, `Input 'no-cache' must be true or false; got "yes".`],
    [
      'a label setting the revision',
      { labels: 'org.opencontainers.image.revision=abc' },
      {},
      "Input 'labels' sets org.opencontainers.image.revision, which build-push sets to the commit",
    ],
    ['a label line without =', { labels: 'team' }, {}, "Input 'labels' must hold KEY=VALUE lines"],
  ])('refuses %s, naming the input', (_name, values, env, message) => {
    expect(() => withEnv(values, env)).toThrow(message);
  });
});

describe("readBuildInputs: 'lifecycle-policy'", () => {
  const policy = {
    rules: [
      { rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 50 }, action: { type: 'expire' } },
    ],
  };
  beforeAll(() => writeFileSync(join(workspace, 'lifecycle.json'), JSON.stringify(policy)));

  test('with create-repository, the file is the lifecycle request', () => {
    expect(read({ repository: 'web', 'create-repository': 'true', 'lifecycle-policy': 'lifecycle.json' }).lifecycle).toEqual({
      policyFile: { path: 'lifecycle.json', text: JSON.stringify(policy) },
    });
  });

  test.each([['lifecycle-keep-tagged'], ['lifecycle-expire-untagged-days']])('is refused with %s, naming both', (other) => {
    expect(() => read({ repository: 'web', 'create-repository': 'true', 'lifecycle-policy': 'lifecycle.json', [other]: '5' })).toThrow(
      `Inputs 'lifecycle-policy' and '${other}' both set the lifecycle policy of the repository this step creates; give one`,
    );
  });

  test('is refused without create-repository', () => {
    expect(() => read({ repository: 'web', 'lifecycle-policy': 'lifecycle.json' })).toThrow(
      "Input 'lifecycle-policy' sets the lifecycle policy of a repository this step creates, and create-repository is false",
    );
  });
});

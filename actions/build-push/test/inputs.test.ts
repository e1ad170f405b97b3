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
      platforms: [],
      extraTags: [],
      push: true,
      cache: true,
      skipExisting: true,
      createRepository: false,
      scanThreshold: undefined,
      scanTimeoutMs: 10 * 60_000,
      builder: undefined,
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

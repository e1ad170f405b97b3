import { describe, expect, test } from '@jest/globals';
import {
  buildxArgs,
  buildxCreateArgs,
  buildxRemoveArgs,
  classicBuildArgs,
  classicPushArgs,
  containersBuildArgs,
  containersPushArgs,
} from '../../../src/use-cases/build-push/args';
import type { BuildPlan } from '../../../src/use-cases/build-push/plan';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const plan = (overrides: Partial<BuildPlan> = {}): BuildPlan => ({
  imageName: 'reg.example/team/web',
  tags: [SHA, '0123456'],
  context: '/w',
  dockerfile: '/w/Dockerfile',
  buildArgs: [],
  platforms: [],
  labels: [{ name: 'org.opencontainers.image.revision', value: SHA }],
  noCache: false,
  secrets: [],
  ssh: [],
  push: true,
  metadataFile: '/tmp/meta',
  ...overrides,
});
const tags = ['--tag', `reg.example/team/web:${SHA}`, '--tag', 'reg.example/team/web:0123456'];
const label = ['--label', `org.opencontainers.image.revision=${SHA}`];
const annotation = ['--annotation', `org.opencontainers.image.revision=${SHA}`];

describe('buildxArgs', () => {
  test.each<[string, Partial<BuildPlan>, string[]]>([
    [
      'a plain push',
      {},
      [
        'buildx',
        'build',
        '--file',
        '/w/Dockerfile',
        ...label,
        ...tags,
        ...annotation,
        '--provenance=false',
        '--metadata-file',
        '/tmp/meta',
        '--push',
        '/w',
      ],
    ],
    [
      'a registry cache in the form ECR accepts',
      { cacheRef: 'reg.example/team/web:cache' },
      [
        'buildx',
        'build',
        '--file',
        '/w/Dockerfile',
        ...label,
        ...tags,
        ...annotation,
        '--cache-from',
        'type=registry,ref=reg.example/team/web:cache',
        '--cache-to',
        'type=registry,ref=reg.example/team/web:cache,mode=max,image-manifest=true,oci-mediatypes=true',
        '--provenance=false',
        '--metadata-file',
        '/tmp/meta',
        '--push',
        '/w',
      ],
    ],
    [
      'no cache written and the image loaded when not pushing',
      { cacheRef: 'reg.example/team/web:cache', push: false },
      [
        'buildx',
        'build',
        '--file',
        '/w/Dockerfile',
        ...label,
        ...tags,
        ...annotation,
        '--cache-from',
        'type=registry,ref=reg.example/team/web:cache',
        '--provenance=false',
        '--metadata-file',
        '/tmp/meta',
        '--load',
        '/w',
      ],
    ],
    [
      'build args, target and platforms',
      { buildArgs: [{ name: 'A', value: '1=2' }], target: 'prod', platforms: ['linux/amd64', 'linux/arm64'] },
      [
        'buildx',
        'build',
        '--file',
        '/w/Dockerfile',
        '--build-arg',
        'A=1=2',
        '--target',
        'prod',
        ...label,
        ...tags,
        ...annotation,
        '--platform',
        'linux/amd64,linux/arm64',
        '--provenance=false',
        '--metadata-file',
        '/tmp/meta',
        '--push',
        '/w',
      ],
    ],
  ])('%s', (_name, overrides, expected) => {
    expect(buildxArgs(plan(overrides))).toEqual(expected);
  });
});

describe('buildxArgs per builder and cache mode', () => {
  const cached = plan({ cacheRef: 'reg.example/team/web:cache' });
  const head = ['buildx', 'build'];
  const middle = ['--file', '/w/Dockerfile', ...label, ...tags, ...annotation];
  const tail = ['--provenance=false', '--metadata-file', '/tmp/meta', '--push', '/w'];
  const from = ['--cache-from', 'type=registry,ref=reg.example/team/web:cache'];
  test.each<[string, Parameters<typeof buildxArgs>[1], string[]]>([
    [
      'a builder made for this build is named with --builder, the registry cache kept',
      { cache: 'registry', builder: 'build-push-1a2b3c4d' },
      [
        ...head,
        '--builder',
        'build-push-1a2b3c4d',
        ...middle,
        ...from,
        '--cache-to',
        'type=registry,ref=reg.example/team/web:cache,mode=max,image-manifest=true,oci-mediatypes=true',
        ...tail,
      ],
    ],
    [
      'inline fallback: cache rides in the image, which is also tagged with the cache tag',
      { cache: 'inline' },
      [...head, ...middle, ...from, '--cache-to', 'type=inline', '--tag', 'reg.example/team/web:cache', ...tail],
    ],
    ['no cache: no cache flags even with a cache reference', { cache: 'none' }, [...head, ...middle, ...tail]],
  ])('%s', (_name, run, expected) => {
    expect(buildxArgs(cached, run)).toEqual(expected);
  });

  test('inline without a push only reads the cache', () => {
    expect(buildxArgs(plan({ cacheRef: 'reg.example/team/web:cache', push: false }), { cache: 'inline' })).toEqual([
      ...head,
      ...middle,
      ...from,
      '--provenance=false',
      '--metadata-file',
      '/tmp/meta',
      '--load',
      '/w',
    ]);
  });

  test("the builder is created without --use, so the runner's default builder is untouched, and removed by name", () => {
    expect(buildxCreateArgs('build-push-1a2b3c4d')).toEqual([
      'buildx',
      'create',
      '--name',
      'build-push-1a2b3c4d',
      '--driver',
      'docker-container',
      '--bootstrap',
    ]);
    expect(buildxRemoveArgs('build-push-1a2b3c4d')).toEqual(['buildx', 'rm', 'build-push-1a2b3c4d']);
  });
});

describe('classic docker', () => {
  test.each<[string, Partial<BuildPlan>, string[]]>([
    ['a plain build', {}, ['build', '--file', '/w/Dockerfile', ...label, ...tags, '/w']],
    [
      'the cache is local: no registry cache flags',
      { cacheRef: 'reg.example/team/web:cache' },
      ['build', '--file', '/w/Dockerfile', ...label, ...tags, '/w'],
    ],
    [
      'one platform',
      { platforms: ['linux/arm64'], target: 't' },
      ['build', '--file', '/w/Dockerfile', '--target', 't', ...label, ...tags, '--platform', 'linux/arm64', '/w'],
    ],
  ])('%s', (_name, overrides, expected) => {
    expect(classicBuildArgs(plan(overrides))).toEqual(expected);
  });

  test('pushes one reference at a time', () => {
    expect(classicPushArgs('reg.example/team/web:x')).toEqual(['push', 'reg.example/team/web:x']);
  });
});

describe('buildah and podman', () => {
  test.each<[string, Partial<BuildPlan>, string[]]>([
    ['a plain build keeps layers', {}, ['build', '--layers', '--file', '/w/Dockerfile', ...label, ...tags, ...annotation, '/w']],
    [
      'args and a platform',
      { buildArgs: [{ name: 'X', value: 'y' }], platforms: ['linux/amd64'] },
      [
        'build',
        '--layers',
        '--file',
        '/w/Dockerfile',
        '--build-arg',
        'X=y',
        ...label,
        ...tags,
        ...annotation,
        '--platform',
        'linux/amd64',
        '/w',
      ],
    ],
  ])('%s', (_name, overrides, expected) => {
    expect(containersBuildArgs(plan(overrides))).toEqual(expected);
  });

  test('pushes to the docker transport and writes the digest to the metadata file', () => {
    expect(containersPushArgs(plan(), 'reg.example/team/web:x')).toEqual([
      'push',
      '--digestfile',
      '/tmp/meta',
      'reg.example/team/web:x',
      'docker://reg.example/team/web:x',
    ]);
  });
});

describe('labels, no-cache, secrets and ssh, per builder', () => {
  const extra: Partial<BuildPlan> = {
    labels: [
      { name: 'org.opencontainers.image.revision', value: SHA },
      { name: 'team', value: 'payments' },
    ],
    noCache: true,
    secrets: [
      { id: 'npm_token', env: 'NPM_TOKEN' },
      { id: 'npmrc', file: '/w/.npmrc' },
    ],
    ssh: ['default', 'deploy=/home/runner/.ssh/id_ed25519'],
  };
  const labels = [...label, '--label', 'team=payments'];
  const annotations = [...annotation, '--annotation', 'team=payments'];
  const secrets = [
    '--secret',
    'id=npm_token,env=NPM_TOKEN',
    '--secret',
    'id=npmrc,src=/w/.npmrc',
    '--ssh',
    'default',
    '--ssh',
    'deploy=/home/runner/.ssh/id_ed25519',
  ];
  test.each<[string, (p: BuildPlan) => string[], string[]]>([
    [
      'buildx: no cache read (a fresh one still written), secrets by name or path',
      (p) => buildxArgs({ ...p, cacheRef: 'reg.example/team/web:cache' }),
      [
        'buildx',
        'build',
        '--file',
        '/w/Dockerfile',
        ...labels,
        ...tags,
        '--no-cache',
        ...secrets,
        ...annotations,
        '--cache-to',
        'type=registry,ref=reg.example/team/web:cache,mode=max,image-manifest=true,oci-mediatypes=true',
        '--provenance=false',
        '--metadata-file',
        '/tmp/meta',
        '--push',
        '/w',
      ],
    ],
    [
      'buildah and podman',
      containersBuildArgs,
      ['build', '--layers', '--file', '/w/Dockerfile', ...labels, ...tags, '--no-cache', ...secrets, ...annotations, '/w'],
    ],
    [
      'classic (labels and no-cache only: secrets and ssh are refused before it runs)',
      (p) => classicBuildArgs({ ...p, secrets: [], ssh: [] }),
      ['build', '--file', '/w/Dockerfile', ...labels, ...tags, '--no-cache', '/w'],
    ],
  ])('%s', (_name, args, expected) => {
    expect(args(plan(extra))).toEqual(expected);
  });

  test("a secret's value is never an argument: only its variable's name", () => {
    const args = buildxArgs(plan({ secrets: [{ id: 'token', env: 'TOKEN' }] })).join(' ');
    expect(args).toContain('id=token,env=TOKEN');
    expect(args).not.toMatch(/src=|value/);
  });
});

test('no argument list ever carries a credential', () => {
  for (const args of [buildxArgs(plan()), classicBuildArgs(plan()), containersBuildArgs(plan()), containersPushArgs(plan(), 'r:x')]) {
    expect(args.join(' ')).not.toMatch(/password|--creds|-p\b|--authfile/i);
  }
});

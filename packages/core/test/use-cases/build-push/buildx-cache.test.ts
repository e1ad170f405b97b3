import { describe, expect, test } from '@jest/globals';
import {
  decideBuildxCache,
  parseBuildxInspect,
  usesContainerdImageStore,
  type BuildxCacheFacts,
} from '../../../src/use-cases/build-push/buildx-cache';
import {
  INFO_CONTAINERD,
  INFO_OVERLAY2,
  INSPECT_DEFAULT_DOCKER,
  INSPECT_DOCKER_CONTAINER,
  INSPECT_KUBERNETES,
  INSPECT_REMOTE,
} from './buildx-fixtures';

describe('parseBuildxInspect', () => {
  test.each([
    ['the default builder of a hosted runner', INSPECT_DEFAULT_DOCKER, { name: 'default', driver: 'docker' }],
    ['a docker-container builder with two nodes', INSPECT_DOCKER_CONTAINER, { name: 'elated_tesla', driver: 'docker-container' }],
    ['a remote builder', INSPECT_REMOTE, { name: 'remote-builder', driver: 'remote' }],
    ['a kubernetes builder', INSPECT_KUBERNETES, { name: 'kube', driver: 'kubernetes' }],
    ['CRLF line ends', INSPECT_DOCKER_CONTAINER.replace(/\n/g, '\r\n'), { name: 'elated_tesla', driver: 'docker-container' }],
  ])('%s', (_name, text, expected) => {
    expect(parseBuildxInspect(text)).toEqual(expected);
  });

  test.each([
    ['empty output', ''],
    ['an error instead of a builder', 'ERROR: no builder "gone" found\n'],
    ['only node blocks', 'Nodes:\nName: default\nDriver: docker\n'],
  ])('%s describes no builder', (_name, text) => {
    expect(parseBuildxInspect(text)).toBeUndefined();
  });
});

describe('usesContainerdImageStore', () => {
  test.each([
    ['the containerd image store', INFO_CONTAINERD, true],
    ['the classic overlay2 store', INFO_OVERLAY2, false],
    ['a daemon warning before the JSON', `WARNING: bridge-nf-call-iptables is disabled\n${INFO_CONTAINERD}`, true],
    ['no DriverStatus', JSON.stringify({ ServerVersion: '28.0.4' }), false],
    ['null DriverStatus', JSON.stringify({ DriverStatus: null }), false],
    ['not JSON', 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock.', false],
  ])('%s', (_name, text, expected) => {
    expect(usesContainerdImageStore(text)).toBe(expected);
  });
});

describe('decideBuildxCache', () => {
  const facts = (over: Partial<BuildxCacheFacts>): BuildxCacheFacts => ({
    cache: true,
    push: true,
    containerdImageStore: false,
    builder: parseBuildxInspect(INSPECT_DEFAULT_DOCKER),
    ...over,
  });

  test.each<[string, Partial<BuildxCacheFacts>, { action: string; mode?: string }, RegExp]>([
    [
      'hosted runner default: docker driver, classic store',
      {},
      { action: 'create' },
      /driver docker\) cannot export .* containerd image store/,
    ],
    [
      'docker driver with the containerd image store',
      { containerdImageStore: true },
      { action: 'use', mode: 'registry' },
      /containerd image store exports/,
    ],
    [
      'a docker-container builder',
      { builder: parseBuildxInspect(INSPECT_DOCKER_CONTAINER) },
      { action: 'use', mode: 'registry' },
      /elated_tesla \(driver docker-container\) exports/,
    ],
    ['a remote builder', { builder: parseBuildxInspect(INSPECT_REMOTE) }, { action: 'use', mode: 'registry' }, /remote-builder/],
    [
      'a kubernetes builder',
      { builder: parseBuildxInspect(INSPECT_KUBERNETES) },
      { action: 'use', mode: 'registry' },
      /kube \(driver kubernetes\)/,
    ],
    [
      "setup-buildx-action's builder named by BUILDX_BUILDER",
      { builder: { name: 'builder-abc', driver: 'docker-container' }, builderFromEnv: 'builder-abc' },
      { action: 'use', mode: 'registry' },
      /builder-abc \(driver docker-container, named by BUILDX_BUILDER\) exports/,
    ],
    [
      'BUILDX_BUILDER naming a docker-driver builder',
      { builder: { name: 'default', driver: 'docker' }, builderFromEnv: 'default' },
      { action: 'create' },
      /named by BUILDX_BUILDER\) cannot export/,
    ],
    ['an unknown driver', { builder: { name: 'x', driver: 'cloud' } }, { action: 'create' }, /not one known to export/],
    ['inspect told nothing', { builder: undefined }, { action: 'create' }, /did not describe the current builder/],
    ['cache off', { cache: false }, { action: 'use', mode: 'none' }, /input 'cache' is false/],
    ['push off: the docker driver reads a registry cache', { push: false }, { action: 'use', mode: 'registry' }, /only read/],
  ])('%s', (_name, over, expected, reason) => {
    const decision = decideBuildxCache(facts(over));
    expect(decision).toMatchObject(expected);
    expect(decision.reason).toMatch(reason);
  });
});

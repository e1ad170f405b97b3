import { describe, expect, test } from '@jest/globals';
import { checkBuilderCan, chooseBuilder, type BuilderKind, type Installed } from '../../../src/use-cases/build-push/builder';
import type { BuilderChoice } from '../../../src/use-cases/build-push/request';

const all: Installed = { docker: true, buildx: true, buildah: true, podman: true };
const only = (...tools: (keyof Installed)[]): Installed => ({
  docker: false,
  buildx: false,
  buildah: false,
  podman: false,
  ...Object.fromEntries(tools.map((t) => [t, true])),
});

describe('chooseBuilder', () => {
  test.each<[BuilderChoice | undefined, Installed, BuilderKind]>([
    [undefined, all, 'buildx'],
    [undefined, only('docker'), 'classic'],
    [undefined, only('buildah', 'podman'), 'buildah'],
    [undefined, only('podman'), 'podman'],
    ['docker', only('docker'), 'classic'],
    ['docker', all, 'buildx'],
    ['classic', all, 'classic'],
    ['buildah', all, 'buildah'],
    ['podman', all, 'podman'],
  ])('%s with %j builds with %s', (choice, installed, expected) => {
    expect(chooseBuilder(choice, installed, [])).toBe(expected);
  });

  test.each<[BuilderChoice | undefined, Installed, string[], RegExp]>([
    [undefined, only(), [], /No builder found: install docker, buildah or podman/],
    ['buildx', only('docker'), [], /Input 'builder' is buildx, but docker buildx is not installed/],
    ['docker', only('buildah'), [], /Input 'builder' is docker, but docker is not installed/],
    ['podman', only('docker'), [], /Input 'builder' is podman, but podman is not installed/],
    [
      undefined,
      only('docker'),
      ['linux/amd64', 'linux/arm64'],
      /Input 'platforms' lists 2 platforms; building several needs docker buildx, and this job builds with classic/,
    ],
  ])('%s with %j and platforms %j is refused', (choice, installed, platforms, message) => {
    expect(() => chooseBuilder(choice, installed, platforms)).toThrow(message);
  });
});

describe('checkBuilderCan', () => {
  const none = { secrets: [], ssh: [] };
  test.each<[string, Parameters<typeof checkBuilderCan>[1], string]>([
    ['secrets', { secrets: [{ id: 't', env: 'T' }], ssh: [] }, 'secrets'],
    ['secret-files', { secrets: [{ id: 'f', file: '/w/f' }], ssh: [] }, 'secret-files'],
    ['ssh', { secrets: [], ssh: ['default'] }, 'ssh'],
  ])('the classic builder refuses %s, naming the input', (_name, wants, input) => {
    expect(() => checkBuilderCan('classic', wants)).toThrow(
      `Input '${input}' needs a builder with build secrets and SSH forwarding (docker buildx, buildah or podman), and this job builds with docker's classic builder`,
    );
  });

  test.each<BuilderKind>(['buildx', 'buildah', 'podman'])('%s takes secrets and ssh', (kind) => {
    expect(() => checkBuilderCan(kind, { secrets: [{ id: 't', env: 'T' }], ssh: ['default'] })).not.toThrow();
  });

  test('classic without secrets or ssh is fine', () => {
    expect(() => checkBuilderCan('classic', none)).not.toThrow();
  });
});

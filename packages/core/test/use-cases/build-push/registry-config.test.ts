import { describe, expect, test } from '@jest/globals';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  containersAuthFile,
  copyContainersAuth,
  copyDockerConfig,
  dockerConfigDir,
  withEcrCredential,
} from '../../../src/use-cases/build-push/registry-config';

const HOST = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const TOKEN = Buffer.from('AWS:pa55word').toString('base64');
const temp = () => mkdtempSync(join(tmpdir(), 'registry-config-'));

describe('withEcrCredential', () => {
  test.each([
    ['an empty docker config', {}, 'docker', { auths: { [HOST]: { auth: TOKEN } } }],
    [
      "another registry's login, kept",
      { auths: { 'ghcr.io': { auth: 'Z2g6eA==' } } },
      'docker',
      { auths: { 'ghcr.io': { auth: 'Z2g6eA==' }, [HOST]: { auth: TOKEN } } },
    ],
    [
      'a credential store: the ECR host alone reads the file',
      { credsStore: 'desktop' },
      'docker',
      { credsStore: 'desktop', auths: { [HOST]: { auth: TOKEN } }, credHelpers: { [HOST]: '' } },
    ],
    [
      "ecr-login as the host's helper: replaced by the file for this build",
      { credHelpers: { [HOST]: 'ecr-login', 'public.ecr.aws': 'ecr-login' } },
      'docker',
      { credHelpers: { [HOST]: '', 'public.ecr.aws': 'ecr-login' }, auths: { [HOST]: { auth: TOKEN } } },
    ],
    [
      "a containers auth file with the host's helper: dropped",
      { auths: { 'quay.io': { auth: 'cTp4' } }, credHelpers: { [HOST]: 'ecr-login' } },
      'containers',
      { auths: { 'quay.io': { auth: 'cTp4' }, [HOST]: { auth: TOKEN } }, credHelpers: {} },
    ],
    [
      'other settings kept',
      { proxies: { default: { httpProxy: 'http://proxy:3128' } } },
      'docker',
      { proxies: { default: { httpProxy: 'http://proxy:3128' } }, auths: { [HOST]: { auth: TOKEN } } },
    ],
  ] as const)('%s', (_name, config, format, expected) => {
    expect(withEcrCredential(config, HOST, TOKEN, format)).toEqual(expected);
  });
});

describe('copyDockerConfig', () => {
  test('links every entry but config.json, which it copies with the credential, and leaves the original as it was', () => {
    const source = temp();
    mkdirSync(join(source, 'cli-plugins'));
    mkdirSync(join(source, 'buildx'));
    const original = JSON.stringify({ auths: { 'ghcr.io': { auth: 'Z2g6eA==' } } });
    writeFileSync(join(source, 'config.json'), original);
    const folder = temp();

    expect(copyDockerConfig(folder, { DOCKER_CONFIG: source }, HOST, TOKEN)).toBe(source);

    expect(readlinkSync(join(folder, 'cli-plugins'))).toBe(join(source, 'cli-plugins'));
    expect(readlinkSync(join(folder, 'buildx'))).toBe(join(source, 'buildx'));
    expect(lstatSync(join(folder, 'config.json')).isSymbolicLink()).toBe(false);
    expect(lstatSync(join(folder, 'config.json')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')).auths).toEqual({
      'ghcr.io': { auth: 'Z2g6eA==' },
      [HOST]: { auth: TOKEN },
    });
    expect(readFileSync(join(source, 'config.json'), 'utf8')).toBe(original);
  });

  test('without a docker config it writes one holding the credential alone', () => {
    const folder = temp();
    copyDockerConfig(folder, { DOCKER_CONFIG: join(temp(), 'missing') }, HOST, TOKEN);
    expect(JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8'))).toEqual({ auths: { [HOST]: { auth: TOKEN } } });
  });

  test('an unreadable config.json is an error naming the file', () => {
    const source = temp();
    writeFileSync(join(source, 'config.json'), '{"auths": ');
    expect(() => copyDockerConfig(temp(), { DOCKER_CONFIG: source }, HOST, TOKEN)).toThrow(
      `${join(source, 'config.json')} is not a JSON object, so its registry logins cannot be kept; fix or remove it.`,
    );
  });
});

describe('where the configuration is', () => {
  test.each([
    [{ DOCKER_CONFIG: '/opt/dk', HOME: '/home/runner' }, '/opt/dk'],
    [{ HOME: '/home/runner' }, '/home/runner/.docker'],
  ])('docker config dir of %j is %s', (env, expected) => {
    expect(dockerConfigDir(env)).toBe(expected);
  });

  test("REGISTRY_AUTH_FILE names the containers' auth file; else podman login's file when there is one", () => {
    const runtime = temp();
    expect(containersAuthFile({ REGISTRY_AUTH_FILE: '/opt/auth.json', XDG_RUNTIME_DIR: runtime })).toBe('/opt/auth.json');
    expect(containersAuthFile({ XDG_RUNTIME_DIR: runtime })).toBeUndefined();
    mkdirSync(join(runtime, 'containers'));
    writeFileSync(join(runtime, 'containers', 'auth.json'), '{}');
    expect(containersAuthFile({ XDG_RUNTIME_DIR: runtime })).toBe(join(runtime, 'containers', 'auth.json'));
  });

  test('the containers copy keeps the logins of the file it came from', () => {
    const source = join(temp(), 'auth.json');
    writeFileSync(source, JSON.stringify({ auths: { 'quay.io': { auth: 'cTp4' } } }));
    const copy = join(temp(), 'auth.json');
    expect(copyContainersAuth(copy, { REGISTRY_AUTH_FILE: source }, HOST, TOKEN)).toBe(source);
    expect(JSON.parse(readFileSync(copy, 'utf8')).auths).toEqual({ 'quay.io': { auth: 'cTp4' }, [HOST]: { auth: TOKEN } });
  });
});

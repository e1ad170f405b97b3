import { describe, expect, test } from '@jest/globals';
import { locateImage } from '../src/preflight/images/image-location';
import { architectureProblem, pulledArchitecture } from '../src/preflight/images/platforms';

describe('locateImage', () => {
  test.each([
    [
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v2',
      { kind: 'ecr', registryId: '123456789012', region: 'us-east-1', repository: 'web', tag: 'v2' },
    ],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api', { kind: 'ecr', region: 'eu-west-1', repository: 'team/api', tag: 'latest' }],
    [
      `123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/web@sha256:${'b'.repeat(64)}`,
      { kind: 'ecr', region: 'us-gov-west-1', tag: undefined, digest: `sha256:${'b'.repeat(64)}` },
    ],
    ['nginx:1.27', { kind: 'registry', host: 'registry-1.docker.io', name: 'library/nginx', reference: '1.27' }],
    ['docker.io/grafana/agent', { kind: 'registry', host: 'registry-1.docker.io', name: 'grafana/agent', reference: 'latest' }],
    ['ghcr.io/acme/api:1.0', { kind: 'registry', host: 'ghcr.io', name: 'acme/api', reference: '1.0' }],
    [
      'public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0',
      { kind: 'registry', host: 'public.ecr.aws', name: 'aws-observability/aws-otel-collector' },
    ],
    ['localhost:5000/api:1', { kind: 'registry', host: 'localhost:5000', name: 'api', reference: '1' }],
  ])('%s', (image, expected) => {
    expect(locateImage(image)).toMatchObject(expected);
  });

  test('a reference that does not parse says why', () => {
    expect(locateImage('Web:v1')).toMatchObject({ kind: 'unparsed' });
  });
});

describe('architectures', () => {
  const index = JSON.stringify({
    manifests: [{ platform: { architecture: 'arm64', os: 'linux' } }, { platform: { architecture: 'unknown', os: 'unknown' } }],
  });
  test('X86_64 is the default and pulls amd64', () => {
    expect(pulledArchitecture(undefined)).toEqual({ ecs: 'X86_64', oci: 'amd64' });
    expect(architectureProblem(index, undefined)).toBe(
      'its index has linux/arm64, and the task runs on X86_64 (linux/amd64, runtimePlatform.cpuArchitecture)',
    );
  });
  test('ARM64 pulls arm64', () => {
    expect(architectureProblem(index, 'ARM64')).toBeUndefined();
  });
});
